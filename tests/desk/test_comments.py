"""Editorial conversation: threads on paragraphs and claims, replies,
@mentions that notify (in the app and by email), resolve and reopen, audit."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from desk.comments import (
    comment_add,
    comment_reopen,
    comment_resolve,
    mentioned_users,
)
from desk.models import Comment, Notification
from desk.selectors import comment_threads
from desk.services import article_start
from factcheck.models import Claim
from tests.factories import UserFactory, article_content

pytestmark = pytest.mark.django_db

BODY = (
    "The military said it detected a launch.\n\n"
    "Experts say more tests are likely.\n\n"
    "A third paragraph."
)


@pytest.fixture
def story(reporter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return article_start(actor=reporter, content=article_content(body=BODY))


@pytest.fixture
def kim(db):
    return UserFactory(
        username="kim", first_name="Kim", last_name="Park", role="fact-checker"
    )


def test_a_comment_on_a_paragraph_keeps_the_words_it_was_made_on(story, editor):
    comment = comment_add(actor=editor, article=story, text="Source?", paragraph=2)
    assert comment.quote == "Experts say more tests are likely."
    assert comment.parent is None and comment.claim is None


def test_a_comment_on_a_claim_and_a_reply_to_it(story, editor, factchecker):
    claim = Claim.objects.filter(article=story).first()
    thread = comment_add(actor=editor, article=story, text="Check this", claim=claim)
    reply = comment_add(actor=factchecker, article=story, text="On it", parent=thread)
    assert thread.quote == claim.text and reply.claim == claim
    [shown] = comment_threads(user=editor, article=story, claim=claim)
    assert shown.comment == thread and shown.replies == [reply]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"text": "  ", "paragraph": 1}, "Write something"),
        ({"text": "Hm", "paragraph": 9}, "Choose a paragraph"),
        ({"text": "Hm"}, "Choose a paragraph"),
    ],
)
def test_bad_comments_are_refused_with_a_message(story, editor, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        comment_add(actor=editor, article=story, **kwargs)
    assert not Comment.objects.exists()


def test_a_claim_of_another_story_or_a_reply_to_a_reply_is_refused(
    story, editor, reporter
):
    other = article_start(
        actor=reporter,
        content=article_content(slug="other", section=story.section_id, body=BODY),
    )
    Claim.objects.create(article=other, paragraph=0, start=0, end=5, text="The m")
    with pytest.raises(ValidationError, match="not part of this story"):
        comment_add(actor=editor, article=story, text="x", claim=other.claims.first())
    thread = comment_add(actor=editor, article=story, text="x", paragraph=1)
    reply = comment_add(actor=editor, article=story, text="y", parent=thread)
    with pytest.raises(ValidationError, match="Reply to a thread"):
        comment_add(actor=editor, article=story, text="z", parent=reply)


def test_readers_and_non_staff_cannot_comment(story, reader):
    with pytest.raises(PermissionDenied):
        comment_add(actor=reader, article=story, text="hello", paragraph=1)


def test_mentions_by_username_full_name_or_unique_first_name(kim, editor):
    UserFactory(username="ann1", first_name="Ann", last_name="Lee")
    UserFactory(username="ann2", first_name="Ann", last_name="Cho")
    UserFactory(username="outsider", first_name="Out", is_staff=False)
    assert mentioned_users("@kim please") == [kim]
    assert mentioned_users("ask @Kim Park.") == [kim]
    assert mentioned_users("ask @Kim.") == [kim]
    assert mentioned_users("@Ann (which one?) and @outsider, mail@kim.org") == []
    assert mentioned_users("@editor and @kim and @kim") == [editor, kim]


def test_a_mention_notifies_in_the_app_and_by_email_once_committed(
    story, editor, kim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_add(
            actor=editor,
            article=story,
            text="@kim can you check the launch count?",
            paragraph=1,
        )
    assert list(comment.mentions.all()) == [kim]
    [note] = Notification.objects.filter(recipient=kim)
    assert note.verb == Notification.Verb.MENTIONED
    assert "mentioned you on paragraph 1" in note.message and note.article == story
    assert [m.to for m in mail.outbox] == [[kim.email]]


def test_a_reply_tells_the_threads_author_but_not_the_replier(
    story, editor, kim, django_capture_on_commit_callbacks
):
    thread = comment_add(actor=editor, article=story, text="Source?", paragraph=1)
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(actor=kim, article=story, text="KCNA", parent=thread)
        comment_add(actor=editor, article=story, text="Thanks", parent=thread)
    assert list(Notification.objects.values_list("recipient__username", "verb")) == [
        ("editor", Notification.Verb.COMMENT_REPLY)
    ]


def test_resolve_and_reopen_by_the_author_or_an_editor_of_the_story(
    story, reporter, editor, kim
):
    thread = comment_add(actor=kim, article=story, text="Odd", paragraph=1)
    resolved = comment_resolve(actor=editor, comment_id=thread.pk)
    assert resolved.resolved_by == editor and resolved.resolved_at
    reopened = comment_reopen(actor=kim, comment_id=thread.pk)
    assert reopened.resolved_at is None and reopened.resolved_by is None
    other = UserFactory(username="other-checker", role="fact-checker")
    with pytest.raises(PermissionDenied):
        comment_resolve(actor=other, comment_id=thread.pk)
    reply = comment_add(actor=reporter, article=story, text="ok", parent=thread)
    with pytest.raises(Comment.DoesNotExist):
        comment_resolve(actor=reporter, comment_id=reply.pk)


def test_comments_resolutions_and_reopenings_are_audited(story, editor, kim):
    thread = comment_add(actor=editor, article=story, text="@kim look", paragraph=2)
    comment_resolve(actor=editor, comment_id=thread.pk)
    comment_resolve(actor=editor, comment_id=thread.pk)  # already: no second entry
    comment_reopen(actor=editor, comment_id=thread.pk)
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.COMMENT).order_by("pk")
    assert [(e.from_state, e.to_state) for e in entries] == [
        ("", ""),
        ("open", "resolved"),
        ("resolved", "open"),
    ]
    assert entries[0].message == "@kim look"
    assert entries[0].data["mentions"] == ["kim"] and entries[0].data["paragraph"] == 2


def test_threads_are_read_in_two_queries_however_many(
    story, editor, kim, django_assert_num_queries
):
    for n in range(1, 4):
        thread = comment_add(actor=editor, article=story, text=f"t{n}", paragraph=n)
        comment_add(actor=kim, article=story, text=f"r{n}", parent=thread)
    # Threads with authors and claims, their replies, and the edit right
    # (whose permission cache is warm after the comments above).
    with django_assert_num_queries(2):
        threads = comment_threads(user=editor, article=story)
    assert [len(t.replies) for t in threads] == [1, 1, 1]


# ------------------------------------------------------------------ the pages


def test_comments_through_the_desk_and_on_the_edit_and_claim_pages(
    client, story, editor, kim
):
    client.force_login(editor)
    edit = reverse("desk:story_edit", args=[story.pk])
    response = client.post(
        reverse("desk:comment_add", args=[story.pk]),
        {
            "comment-text": "@kim is this KCNA?",
            "comment-paragraph": "1",
            "comment-next": edit,
        },
    )
    assert response.status_code == 302 and response["Location"] == edit
    page = client.get(edit).content.decode()
    assert "@kim is this KCNA?" in page and "On paragraph 1" in page
    thread = Comment.objects.get()
    response = client.post(
        reverse("desk:comment_add", args=[story.pk]),
        {
            "comment-parent": thread.pk,
            f"reply-{thread.pk}": "Yes, via Yonhap.",
            "comment-next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("desk:story", args=[story.pk])
    resolve = client.post(
        reverse("desk:comment_resolve", args=[thread.pk]),
        {"comment-next": edit},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert resolve.status_code == 200
    assert "Thread resolved." in resolve.content.decode()
    assert "Reopen" in resolve.content.decode()


def test_a_comment_on_a_claim_shows_on_the_desk_claim_page(client, story, editor):
    claim = Claim.objects.filter(article=story).first()
    client.force_login(editor)
    url = reverse("desk:claim", args=[claim.pk])
    client.post(
        reverse("desk:comment_add", args=[story.pk]),
        {"comment-text": "Who is the speaker?", "comment-claim": claim.pk},
    )
    page = client.get(url).content.decode()
    assert "Who is the speaker?" in page and 'name="comment-claim"' in page


def test_an_empty_comment_through_the_page_is_a_message_not_an_error(
    client, story, editor
):
    client.force_login(editor)
    response = client.post(
        reverse("desk:comment_add", args=[story.pk]),
        {"comment-text": " ", "comment-paragraph": "1"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()


def test_the_admin_edit_page_shows_the_threads(client, story, editor):
    comment_add(actor=editor, article=story, text="A thread in the admin", paragraph=3)
    client.force_login(editor)
    page = client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()
    assert "A thread in the admin" in page and "editorial/comments.js" in page
