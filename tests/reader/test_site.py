"""The public site as a whole: pages, feeds, sitemaps, search, reports.

The whole-page cache has its own tests (``test_page_cache.py``).
"""

import json
import time
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.core import signing
from django.templatetags.static import static
from django.utils.html import escape

from articles.models import Article
from desk.comments import comment_add
from desk.models import ErrorReport
from desk.services import article_start
from factcheck.models import Claim
from factcheck.services import claim_review
from reader.forms import _SALT
from tests.factories import article_content
from tests.reader.crawling import API_START, START, crawl
from tests.reader.test_article_page import json_ld

pytestmark = pytest.mark.django_db

SECRETS = (
    "SECRET-DRAFT-HEADLINE",
    "INTERNAL-NOTE-TEXT",
    "PRIVATE-EVIDENCE-TITLE",
    "EDITORIAL-COMMENT-TEXT",
)


@pytest.fixture
def secrets_in_the_newsroom(published, django_capture_on_commit_callbacks):
    """A draft, a pending claim, an internal note and private evidence."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    with django_capture_on_commit_callbacks(execute=True):
        article_start(
            actor=users.get(username="reporter"),
            content=article_content(
                headline="SECRET-DRAFT-HEADLINE",
                slug="secret",
                section=published.section_id,
                body="Officials said SECRET-DRAFT-HEADLINE things.",
            ),
        )
    Article.objects.filter(pk=published.pk).update(
        body=published.body + "\n\nOfficials said PENDING-CLAIM-TEXT happened."
    )
    published.refresh_from_db()
    start = published.body.index("Officials said PENDING")
    Claim.objects.create(
        article=published,
        paragraph=22,
        start=start,
        end=len(published.body),
        text=published.body[start:],
    )
    claim = published.claims.order_by("start").first()
    claim_review(
        claim_id=claim.pk,
        actor=users.get(username="factchecker"),
        attribution="confirmed",
        veracity="accurate",
        note="INTERNAL-NOTE-TEXT",
        evidence=[{"title": "PRIVATE-EVIDENCE-TITLE", "public": False}],
    )
    # Staff talk on the public story's text and on its claim.
    thread = comment_add(
        actor=users.get(username="factchecker"),
        article=published,
        text="EDITORIAL-COMMENT-TEXT on a paragraph",
        paragraph=1,
    )
    comment_add(
        actor=users.get(username="factchecker"),
        article=published,
        text="EDITORIAL-COMMENT-TEXT reply",
        parent=thread,
    )
    comment_add(
        actor=users.get(username="factchecker"),
        article=published,
        text="EDITORIAL-COMMENT-TEXT on a claim",
        claim=claim,
    )
    return published


def test_an_anonymous_crawl_of_every_public_url_finds_nothing_internal(
    client, secrets_in_the_newsroom
):
    seen = crawl(
        client, (*START, *API_START, "/search/?q=officials", "/search/?q=SECRET")
    )
    for url, response in seen.items():
        assert response.status_code == 200, url  # no public link leads nowhere
        text = response.content.decode()
        for secret in SECRETS:
            assert secret not in text, f"{secret} leaked at {url}"
    assert secrets_in_the_newsroom.get_absolute_url() in seen
    assert any(url.startswith("/sources/") for url in seen)
    assert f"/api/v1/stories/{secrets_in_the_newsroom.pk}/ninjs/" in seen
    assert len(seen) > 10
    # The pending claim's sentence is public body text, but no verdict is shown for it.
    page = client.get(secrets_in_the_newsroom.get_absolute_url()).content.decode()
    assert "PENDING-CLAIM-TEXT" not in page.split('id="how-heading"')[1]
    assert "PENDING-CLAIM-TEXT" not in json.dumps(json_ld(page))


def test_home_lists_the_published_story_and_not_drafts(
    client, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article_start(
            actor=published.created_by,
            content=article_content(
                headline="A draft nobody has checked",
                slug="draft",
                section=published.section_id,
                body="",
            ),
        )
    page = client.get("/").content.decode()
    assert escape(published.headline) in page
    assert "A draft nobody has checked" not in page


def test_section_page_paginates(client, published):
    response = client.get(f"/{published.section.slug}/")
    assert (
        response.status_code == 200 and response.context["stories"].paginator.count == 1
    )
    assert client.get(f"/{published.section.slug}/?page=99").status_code == 200
    assert client.get("/no-such-section/").status_code == 404


def test_favicon_ico_points_at_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    # The address static files are served at (by WhiteNoise or the web server).
    assert response.url == static("favicon.svg")
    assert finders.find("favicon.svg")


def test_feeds_sitemaps_and_robots(client, published):
    feed = ElementTree.fromstring(client.get("/feeds/latest/").content)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert published.headline in client.get("/feeds/latest/").content.decode()
    assert client.get(f"/feeds/{published.section.slug}/").status_code == 200
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = [
        loc.text
        for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert any(loc.endswith(published.get_absolute_url()) for loc in locations)
    ElementTree.fromstring(client.get("/news-sitemap.xml").content)
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /desk/" in robots and "Sitemap:" in robots
    assert client.head("/robots.txt").status_code == 200  # crawlers may ask HEAD
    page = client.get(published.get_absolute_url()).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert '<link rel="canonical"' in page and 'property="og:title"' in page
    assert 'name="twitter:card"' in page


def test_search_finds_published_stories_with_a_highlighted_snippet(client, published):
    response = client.get("/search/", {"q": "missile"})
    assert response.status_code == 200
    hits = response.context["results"].object_list
    assert [hit.article for hit in hits] == [published]
    assert "<mark>" in hits[0].snippet


def test_search_copes_with_hostile_queries(client, published):
    for query in [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "&&&",
        "a" * 5000,
        "missile !",
    ]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()


def _report(client, article, **data):
    started = signing.dumps(time.time() - 10, salt=_SALT)
    return client.post(
        f"/stories/{article.pk}/report/",
        {"message": "The range was 900 km, not 9,000 km.", "started": started, **data},
    )


def test_a_reader_reports_an_error_and_sees_a_confirmation(client, published):
    response = _report(client, published, claim="2", email="reader@example.org")
    assert response.status_code == 302
    assert "Thank you" in client.get(response["Location"]).content.decode()
    report = ErrorReport.objects.get()
    assert report.claim == published.claims.order_by("start")[1]


def test_bots_filling_the_hidden_field_or_too_fast_are_refused(client, published):
    assert _report(client, published, website="http://spam.example").status_code == 400
    fast = client.post(
        f"/stories/{published.pk}/report/",
        {
            "message": "Spam spam spam spam",
            "started": signing.dumps(time.time(), salt=_SALT),
        },
    )
    assert fast.status_code == 400 and not ErrorReport.objects.exists()


def test_reports_are_rate_limited_and_the_text_is_kept(client, published):
    for _ in range(5):
        assert _report(client, published).status_code == 302
    response = _report(
        client, published, message="A sixth report that must not be lost"
    )
    assert response.status_code == 429
    assert "A sixth report that must not be lost" in response.content.decode()


def test_reports_on_drafts_are_refused(client, demo):
    assert client.get(f"/stories/{demo.pk}/report/").status_code == 404


def test_source_page_lists_its_checked_claims(client, published, kcna_claims):
    source = kcna_claims.first().speaker
    page = client.get(f"/sources/{source.pk}/").content.decode()
    assert "its reports cannot be independently verified" in page
    assert page.count("<blockquote") == kcna_claims.count()


def test_methodology_defines_every_verdict_shown_to_readers(client):
    page = client.get("/methodology/").content.decode()
    for _, label in Claim.Attribution.choices + Claim.Veracity.choices:
        assert escape(label) in page


def test_a_clear_404_page(client, db):
    response = client.get("/world/2026/01/04/no-such-story/")
    assert response.status_code == 404
    assert "We can" in response.content.decode() and 'href="/search/"' in (
        response.content.decode()
    )


def test_a_500_renders_the_plain_error_page(client, db, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    with mock.patch(
        "reader.views.selectors.home_page", side_effect=RuntimeError("boom")
    ):
        response = client.get("/")
    assert response.status_code == 500 and b"Something went wrong" in response.content


def test_impossible_dates_and_nul_bytes_are_not_errors(client, published):
    assert client.get("/world/99999999999999999999/01/04/x/").status_code == 404
    assert client.get("/world/2026/13/40/x/").status_code == 404
    assert client.get("/search/", {"q": "missile\x00launch"}).status_code == 200
