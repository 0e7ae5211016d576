"""Issue #12, items 2 and 5: control characters and out-of-range dates.

Control characters (C0 and C1, except tab, CR and LF) are stripped from every
form field and query parameter at input (``newsroom.hygiene``); the Atom
feeds and sitemaps stay valid XML even for text stored by another path. Dates
outside the years 1900 to 2200 are refused at input with a clear message.
"""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink
from desk.services import article_start
from newsroom.hygiene import DATE_RANGE_MESSAGE
from tests.factories import SectionFactory, article_content
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(reporter):
    return article_start(actor=reporter, content=article_content(body="First words."))


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_control_characters_typed_into_the_admin_are_stripped_tabs_and_newlines_kept(
    client, editor, article
):
    client.force_login(editor)
    data = form_data(client.get(change_url(article)).content.decode(), "article_form")
    data["headline"] = ["Kim\x07 fires\x0b a \x85missile\x00"]
    data["body"] = ["Line one\tindented\r\nline two\x1b[31m\x7f."]
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.headline == "Kim fires a missile"
    assert article.body == "Line one\tindented\nline two[31m."


def test_a_nul_in_a_public_query_parameter_is_no_error(client):
    assert client.get(reverse("reader:search"), {"q": "kim\x00jong"}).status_code == 200
    assert client.get(reverse("reader:home"), {"page": "\x00"}).status_code == 200


@pytest.fixture
def control_character_story(reporter):
    """A public story whose text holds control characters (stored by some other
    path than the forms: a script, an old import)."""
    section = SectionFactory(name="World\x01")
    now = timezone.now()
    return Article.objects.create(
        headline="Missile\x0b launch\x1f over the sea\x00"[:-1],
        slug="missile",
        dek="Stand\x08first",
        body="Body",
        section=section,
        created_by=reporter,
        status=Article.Status.PUBLISHED,
        published_at=now,
        first_published_at=now,
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("reader:feed"),
        "section-feed",
        reverse("news-sitemap"),
        reverse("sitemap"),
    ],
)
def test_feeds_and_sitemaps_stay_valid_xml_with_control_characters_stored(
    client, control_character_story, url
):
    if url == "section-feed":
        url = reverse(
            "reader:section_feed", args=[control_character_story.section.slug]
        )
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # raises on invalid XML
    text = "".join(root.itertext())
    if "feed" in url or "news" in url:
        assert "Missile launch over the sea" in text


# ------------------------------------------------------------------ dates


@pytest.fixture
def seoul(settings):
    """Newsroom time in Seoul (UTC+9): year 1, 00:00 there is a BC time in UTC."""
    settings.TIME_ZONE = "Asia/Seoul"
    timezone.activate("Asia/Seoul")
    yield
    timezone.deactivate()


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_an_embargo_outside_the_sane_years_is_refused_in_the_admin(
    client, editor, article, seoul, typed
):
    client.force_login(editor)
    data = form_data(client.get(change_url(article)).content.decode(), "article_form")
    data["embargo_until"] = [typed]
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()
    article.refresh_from_db()
    assert article.embargo_until is None
    # The desk's pages still open for everyone.
    assert client.get(reverse("desk:story", args=[article.pk])).status_code == 200


def test_a_year_one_embargo_is_refused_on_the_desk_edit_page_too(
    client, editor, article, seoul
):
    client.force_login(editor)
    url = reverse("desk:story_edit", args=[article.pk])
    data = form_data(client.get(url).content.decode())
    data["embargo_until"] = ["0001-01-01T00:00"]
    data["story_date"] = ["0001-01-01"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.content.decode().count("between the years 1900 and 2200") == 2
    article.refresh_from_db()
    assert article.embargo_until is None and article.story_date.year > 1900


def test_a_preview_link_cannot_expire_in_the_year_9999(client, editor, article):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_share", args=[article.pk]),
        {"note": "x", "expires_at": "9999-12-31T23:59"},
    )
    assert "between the years 1900 and 2200" in response.content.decode()
    assert not PreviewLink.objects.exists()


def test_a_far_publish_time_on_the_desk_is_a_form_error(client, publisher, article):
    client.force_login(publisher)
    response = client.post(
        reverse("desk:story_transition", args=[article.pk, "schedule"]),
        {"publish_at": "9999-12-31T23:59"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["publish_at"] == [DATE_RANGE_MESSAGE]
    article.refresh_from_db()
    assert article.publish_at is None


def test_years_inside_the_range_are_fine(client, editor, article):
    client.force_login(editor)
    data = form_data(client.get(change_url(article)).content.decode(), "article_form")
    data["embargo_until"] = ["2030-01-01T09:00"]
    response = client.post(change_url(article), data)
    assert response.status_code == 302, [
        (f.name, f.errors) for f in response.context["adminform"].form if f.errors
    ] + [response.context["adminform"].form.non_field_errors()]
    article.refresh_from_db()
    assert article.embargo_until == datetime.datetime(
        2030, 1, 1, 9, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize("query", ["DY\t" * 1365, "x" * 120_000])
def test_an_admin_search_of_thousands_of_words_or_characters_is_no_500(
    client, admin_user, query
):
    """Found by the fuzz test: SQLite refuses a LIKE pattern over 50,000 bytes
    and an expression deeper than 1,000; query values are cut short at input."""
    client.force_login(admin_user)
    for url in (
        "admin:factcheck_claim_changelist",
        "admin:audit_auditentry_changelist",
    ):
        assert client.get(reverse(url), {"q": query}).status_code == 200
