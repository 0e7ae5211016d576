"""Autosave: each user's unsaved text, kept on the server, offered back after a
closed tab, discarded when the save lands, never a revision."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.content import ArticleContent
from articles.drafts import (
    KEEPS_PER_MINUTE,
    MAX_DRAFT_CHARS,
    draft_keep,
    draft_to_restore,
)
from articles.exceptions import DraftRefused
from articles.models import DraftBuffer
from desk.services import article_save, article_start
from tests.factories import article_content
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(reporter):
    return article_start(actor=reporter, content=article_content())


def keep(user, article, body, **fields):
    return draft_keep(
        user=user,
        article=article,
        fields={"body": body, **fields},
        base_revision_id=article.current_revision_id if article else None,
    )


def test_kept_text_is_offered_back_to_its_user_alone_and_writes_no_revision(
    story, reporter, editor
):
    keep(reporter, story, story.body + "\n\nUnsaved words mid-sen")
    assert story.revisions.count() == 1
    story.refresh_from_db()
    assert "Unsaved words" not in story.body
    draft = draft_to_restore(user=reporter, article=story)
    assert draft.fields["body"].endswith("Unsaved words mid-sen")
    assert draft.base_revision == story.current_revision
    assert draft_to_restore(user=editor, article=story) is None


def test_each_keep_replaces_the_users_buffer(story, reporter):
    keep(reporter, story, "one")
    keep(reporter, story, "two")
    assert DraftBuffer.objects.get().fields == {"body": "two"}


def test_text_equal_to_the_saved_story_is_not_offered(story, reporter):
    keep(reporter, story, story.body, headline=story.headline)
    assert draft_to_restore(user=reporter, article=story) is None


def test_only_text_fields_are_kept(story, reporter):
    keep(reporter, story, "words", status="published", section="9")
    assert DraftBuffer.objects.get().fields == {"body": "words"}


def test_a_landed_save_discards_the_savers_buffer_only(story, reporter, editor):
    keep(reporter, story, "mine, unsaved")
    keep(editor, story, "the editor's, unsaved")
    content = ArticleContent(
        **{
            **ArticleContent.of_revision(story.current_revision).as_dict(),
            "body": "mine, saved",
        }
    )
    article_save(
        article=story,
        actor=reporter,
        content=content,
        base_revision_id=story.current_revision_id,
    )
    assert list(DraftBuffer.objects.values_list("user__username", flat=True)) == [
        "editor"
    ]


def test_an_autosave_never_overwrites_a_saved_revision(story, reporter, editor):
    before = story.current_revision
    keep(editor, story, "editor typing")
    keep(reporter, story, "reporter typing")
    story.refresh_from_db()
    assert story.current_revision == before and story.body == before.body


def test_someone_who_may_not_edit_the_story_keeps_nothing(story, other_reporter):
    with pytest.raises(PermissionDenied):
        keep(other_reporter, story, "not mine")
    assert not DraftBuffer.objects.exists()


def test_text_over_the_limit_is_refused_with_a_clear_message(story, reporter):
    with pytest.raises(DraftRefused, match="Save the story to keep it"):
        keep(reporter, story, "x" * (MAX_DRAFT_CHARS + 1))


def test_keeps_sent_too_often_are_refused(story, reporter):
    for _ in range(KEEPS_PER_MINUTE):
        keep(reporter, story, "typing")
    with pytest.raises(DraftRefused) as refused:
        keep(reporter, story, "typing")
    assert refused.value.retry_after > 0


# ------------------------------------------------------------ through the page


def test_the_page_keeps_text_and_offers_it_back_after_the_tab_closed(
    client, story, reporter, django_assert_num_queries
):
    client.force_login(reporter)
    url = reverse("desk:story_draft", args=[story.pk])
    # Session, user, the second-factor check (desk.middleware), story,
    # permissions (2), base revision, the upsert (6).
    with django_assert_num_queries(13):
        response = client.post(
            url,
            {
                "body": "Unsaved words mid-sen",
                "base_revision": story.current_revision_id,
            },
        )
    assert response.status_code == 200 and "saved_at" in response.json()
    page = client.get(reverse("desk:story_edit", args=[story.pk])).content.decode()
    assert "Restore unsaved text from" in page
    assert "Unsaved words mid-sen" in page  # in the JSON the script restores


def test_the_keep_endpoint_needs_the_csrf_token(story, reporter):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    response = client.post(reverse("desk:story_draft", args=[story.pk]), {"body": "x"})
    assert response.status_code == 403 and not DraftBuffer.objects.exists()


def test_the_keep_endpoint_answers_refusals_in_json(client, story, other_reporter):
    client.force_login(other_reporter)
    url = reverse("desk:story_draft", args=[story.pk])
    assert client.post(url, {"body": "x"}).status_code == 403
    client.force_login(story.created_by)
    big = client.post(url, {"body": "x" * (MAX_DRAFT_CHARS + 1)})
    assert big.status_code == 413 and "characters" in big.json()["error"]
    for _ in range(KEEPS_PER_MINUTE):
        client.post(url, {"body": "x"})
    limited = client.post(url, {"body": "x"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_a_new_storys_text_is_kept_and_discarded_once_created_in_the_admin(
    client, reporter
):
    client.force_login(reporter)
    response = client.post(reverse("desk:new_story_draft"), {"headline": "Half a"})
    assert response.status_code == 200
    add = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "Restore unsaved text from" in add
    data = form_data(add, "article_form")
    data.update(
        headline="Half a headline",
        slug="half",
        section=article_content().section_id,
        story_date="2026-01-04",
        body="Text.",
    )
    created = client.post(reverse("admin:articles_article_add"), data)
    assert created.status_code == 302, created.content.decode()[:2000]
    assert not DraftBuffer.objects.exists()
