"""The article admin as editors use it: edit, history, diff, restore, conflicts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink
from desk.services import article_start
from tests.factories import article_content
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

SEED_BODY = (
    "South Korea's Joint Chiefs of Staff said it detected several launches.\n\n"
    "Japanese Defense Minister Shinjiro Koizumi said two launches were confirmed."
)


@pytest.fixture
def article(reporter):
    return article_start(
        actor=reporter,
        content=article_content(body=SEED_BODY, author_ids=(reporter.pk,)),
    )


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def open_form(client, article) -> dict[str, list[str]]:
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_data(response.content.decode(), "article_form")


def test_editor_edit_then_history_diff_and_restore(client, editor, article):
    client.force_login(editor)
    data = open_form(client, article)
    data["body"] = [
        SEED_BODY.replace("several launches", "several ballistic missile launches")
    ]
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    revisions = client.get(
        reverse("admin:articles_article_revisions", args=[article.pk])
    )
    first, second = article.revisions.order_by("number")
    assert [r.number for r in revisions.context["revisions"]] == [2, 1]

    compare = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"a": first.pk, "b": second.pk},
    )
    changed = [d for d in compare.context["diffs"] if d.changed]
    assert [d.field for d in changed] == ["body"]
    insertions = re.findall(r"<ins>(.*?)</ins>", changed[0].html)
    assert [text.strip() for text in insertions] == ["ballistic missile"]
    assert "<del>" not in changed[0].html

    restore = client.post(
        reverse("admin:articles_article_restore", args=[article.pk, first.pk]),
        {"base_revision": second.pk},
    )
    assert restore.status_code == 302
    article.refresh_from_db()
    assert article.revisions.count() == 3 and article.body == SEED_BODY


def _two_editors(client, article):
    from tests.factories import UserFactory

    second_editor = UserFactory(
        username="editor2", first_name="Kim", last_name="Lee", role="editor"
    )
    first_client, second_client = client, type(client)()
    second_client.force_login(second_editor)
    return first_client, second_client


def test_two_editors_changing_different_fields_both_land_merged(
    client, editor, article
):
    first_client, second_client = _two_editors(client, article)
    first_client.force_login(editor)
    first_form = open_form(first_client, article)
    second_form = open_form(second_client, article)

    first_form["headline"] = ["North Korea fires missiles"]
    assert first_client.post(change_url(article), first_form).status_code == 302

    second_form["body"] = [SEED_BODY + "\n\nA paragraph the second editor wrote."]
    response = second_client.post(change_url(article), second_form, follow=True)
    assert response.status_code == 200
    told = [str(m) for m in response.context["messages"]]
    assert any("Merged with" in m and "headline" in m for m in told), told
    article.refresh_from_db()
    assert article.headline == "North Korea fires missiles"
    assert article.body.endswith("A paragraph the second editor wrote.")
    latest = article.current_revision
    assert latest.number == 3 and latest.merged_from.number == 1


def test_two_editors_changing_the_same_sentence_get_both_versions_and_choose(
    client, editor, article
):
    first_client, second_client = _two_editors(client, article)
    first_client.force_login(editor)
    first_form = open_form(first_client, article)
    second_form = open_form(second_client, article)
    first_form["body"] = [SEED_BODY.replace("several launches", "three launches")]
    assert first_client.post(change_url(article), first_form).status_code == 302

    second_form["body"] = [SEED_BODY.replace("several launches", "two launches")]
    second_form["headline"] = ["Kim's headline"]
    response = second_client.post(change_url(article), second_form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "saved revision 2" in page and "Paragraph 1" in page
    assert "detected three launches" in page and "detected two launches" in page
    article.refresh_from_db()
    assert article.revisions.count() == 2 and "detected two" not in article.body

    chosen = form_data(page)
    [choice] = [name for name in chosen if name.startswith("merge-")]
    assert chosen["base_revision"] == [str(article.revisions.get(number=1).pk)]
    chosen[choice] = ["theirs"]
    assert second_client.post(change_url(article), chosen).status_code == 302
    article.refresh_from_db()
    assert "three launches" in article.body and "detected two" not in article.body
    assert article.headline == "Kim's headline"  # the rest of theirs merged
    assert article.revisions.count() == 3


def test_reporter_cannot_edit_someone_elses_draft(client, article, other_reporter):
    client.force_login(other_reporter)
    data = {"headline": "Hijacked"}
    assert client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.headline != "Hijacked"


def test_reporter_edits_their_own_draft(client, article, reporter):
    client.force_login(reporter)
    data = open_form(client, article)
    data["headline"] = ["Better headline"]
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.headline == "Better headline"


def test_reporter_cannot_edit_their_story_once_it_left_draft(client, article, reporter):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.SUBMITTED)
    client.force_login(reporter)
    assert (
        client.post(change_url(article), {"headline": "Late change"}).status_code == 403
    )


def test_edit_page_shows_who_else_is_editing(client, editor, reporter, article):
    client.force_login(reporter)
    client.get(change_url(article))
    client.force_login(editor)
    response = client.get(change_url(article))
    assert [s.user for s in response.context["others_editing"]] == [reporter]
    assert "Also editing now" in response.content.decode()


def test_live_preview_is_for_staff_only(client, editor, reader, article):
    url = reverse("reader:staff_preview", args=[article.pk])
    client.force_login(reader)
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200 and article.headline in response.content.decode()


def test_preview_link_shows_one_article_until_revoked(client, editor, article):
    client.force_login(editor)
    expires = (timezone.localtime() + datetime.timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    share_url = reverse("admin:articles_article_share", args=[article.pk])
    assert (
        client.post(share_url, {"note": "Lawyer", "expires_at": expires}).status_code
        == 302
    )
    link_url = client.get(share_url).context["links"][0][1]
    client.logout()
    response = client.get(link_url)
    assert response.status_code == 200 and article.headline in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"

    client.force_login(editor)
    client.post(share_url, {"revoke": PreviewLink.objects.get().pk})
    client.logout()
    assert client.get(link_url).status_code == 410


def test_expired_or_forged_preview_links_show_nothing(client, editor, article):
    link = PreviewLink.objects.create(
        article=article,
        created_by=editor,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    from articles.services import preview_link_token

    expired = client.get(reverse("reader:preview", args=[preview_link_token(link)]))
    forged = client.get(reverse("reader:preview", args=["1:forged-signature"]))
    assert expired.status_code == forged.status_code == 410
    assert article.headline not in expired.content.decode() + forged.content.decode()


def test_preview_link_must_expire_in_the_future(client, editor, article):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_share", args=[article.pk]),
        {"note": "x", "expires_at": "2000-01-01T00:00"},
    )
    assert (
        response.status_code == 200
        and "Choose a time in the future" in response.content.decode()
    )
    assert not PreviewLink.objects.exists()


def test_an_open_edit_page_keeps_its_soft_lock_fresh(client, editor, reporter, article):
    from articles.models import EditSession

    client.force_login(reporter)
    client.get(change_url(article))
    EditSession.objects.update(
        last_seen=timezone.now() - datetime.timedelta(minutes=10)
    )
    client.force_login(editor)
    assert client.get(change_url(article)).context["others_editing"] == []
    client.force_login(reporter)
    presence = reverse("desk:story_presence", args=[article.pk])
    assert client.post(presence).status_code == 204  # the page's heartbeat
    client.force_login(editor)
    sessions = client.get(change_url(article)).context["others_editing"]
    assert [s.user for s in sessions] == [reporter]
    assert 'data-presence-url="' in client.get(change_url(article)).content.decode()


def test_the_add_page_works_and_creates_a_draft_with_its_first_revision(client, editor):
    from tests.factories import SectionFactory

    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_add"))
    assert page.status_code == 200
    data = form_data(page.content.decode(), "article_form")
    data.update(
        headline=["A new story"],
        slug=["a-new-story"],
        story_date=["2026-02-01"],
        section=[str(SectionFactory().pk)],
        body=["Officials said it rained."],
    )
    assert client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get(slug="a-new-story")
    assert article.revisions.count() == 1 and article.created_by == editor


def test_a_published_story_cannot_be_edited_in_place(client, editor, article):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    client.force_login(editor)
    assert (
        client.post(change_url(article), {"headline": "Unchecked"}).status_code == 403
    )
    article.refresh_from_db()
    assert article.headline != "Unchecked"
