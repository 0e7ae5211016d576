"""The public read API: what readers see, paginated, filtered, validated."""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from api.models import StoryDocument
from api.ninjs import CLAIM_PROFILE
from articles.models import Article, Section
from articles.signals import public_content_changed
from desk import workflow
from desk.services import article_start
from factcheck.models import Claim, Source
from factcheck.services import claim_review
from tests.factories import TagFactory, article_content
from tests.reader.test_article_page import json_ld

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    return response.json() if response.content else None


def user(username):
    return get_user_model().objects.get(username=username)


def transition(article, name, username="publisher", **kwargs):
    return workflow.article_transition(
        article_id=article.pk, actor=user(username), name=name, **kwargs
    )


def claim_entries(page: str) -> list[str]:
    """The entries of "How we know this" in the story's order (they are grouped
    by source on the page)."""
    entries = re.findall(
        r'<li id="claim-(\d+)" class="claim-entry">(.*?)</li>\s*(?=<li id|</ol>)',
        page,
        re.S,
    )
    return [entry for _, entry in sorted(entries, key=lambda e: int(e[0]))]


@pytest.mark.parametrize("state", ["published", "corrected", "retracted"])
def test_the_api_shows_exactly_what_the_article_page_shows(
    client, published, state, settings
):
    if state != "published":
        first = published.claims.order_by("start").first()
        transition(
            published,
            "correct",
            message="An earlier version misstated the range.",
            claim_ids=(first.pk,),
        )
    if state == "retracted":
        transition(published, "retract", message="The launch report was withdrawn.")
    page = client.get(published.get_absolute_url()).content.decode()
    story = get_json(client, f"/api/v1/stories/{published.pk}/")

    assert story["status"] == state
    assert escape(story["headline"]) in page and escape(story["dek"]) in page
    for name in [*story["bylines"], story["contributor_credit"]]:
        assert escape(name) in page
    entries = claim_entries(page)
    assert len(entries) == len(story["claims"]) == (0 if state == "retracted" else 26)
    if story["public_updated_at"]:
        assert 'Updated <time datetime="' in page
    for entry, claim in zip(entries, story["claims"], strict=True):
        assert escape(claim["text"]) in entry
        assert escape(claim["veracity_label"]) in entry
        if claim["speaker"]:
            assert escape(claim["speaker"]["name"]) in entry
            assert escape(claim["attribution_label"]) in entry
            for source in filter(None, (claim["speaker"], claim["channel"])):
                if source["url"]:
                    path = source["url"].removeprefix(settings.SITE_URL)
                    assert f'href="{path}">{escape(source["name"])}</a>' in entry
                else:
                    assert escape(source["name"]) in entry
        else:
            assert "our reporting" in entry
        if claim["reader_note"]:
            assert escape(claim["reader_note"]) in entry
        assert escape(claim["explanation"]) in entry
        assert entry.count("<li>") == len(claim["evidence"])
        for item in claim["evidence"]:
            assert escape(item["title"]) in entry
            assert (item["url"] and f'href="{escape(item["url"])}"' in entry) or (
                not item["url"]
            )
    for correction in story["corrections"]:
        assert escape(correction["text"]) in page
    assert (story["retraction"] is not None) == (state == "retracted")
    if story["retraction"]:
        assert escape(story["retraction"]["text"]) in page
    # The same ClaimReviews as the page's JSON-LD, in the feed.
    feed = get_json(client, "/api/v1/claim-reviews/")
    page_reviews = [
        item for item in json_ld(page)["@graph"] if item["@type"] == "ClaimReview"
    ]
    assert feed["dataFeedElement"] == page_reviews


def test_nothing_internal_reaches_the_story_document(client, published):
    text = client.get(f"/api/v1/stories/{published.pk}/").content.decode()
    assert "internal note" not in text  # the review note
    assert "Private call log" not in text  # private evidence
    for field in ('"note"', '"public"', '"assignee"', '"review"', '"origin"'):
        assert field not in text


def test_drafts_are_neither_listed_nor_served(client, published, reporter):
    draft = article_start(
        actor=reporter,
        content=article_content(section=published.section_id, headline="DRAFT-ONLY"),
    )
    listed = get_json(client, "/api/v1/stories/")
    assert [item["id"] for item in listed["items"]] == [published.pk]
    get_json(client, f"/api/v1/stories/{draft.pk}/", status=404)
    get_json(client, f"/api/v1/stories/{draft.pk}/ninjs/", status=404)
    transition(published, "unpublish", message="Legal review.")
    get_json(client, f"/api/v1/stories/{published.pk}/", status=404)
    assert get_json(client, "/api/v1/stories/")["items"] == []


def _publish_copies(published, count):
    """``count`` more public stories in the demo's section, one a minute apart."""
    now = timezone.now()
    section = Section.objects.get(pk=published.section_id)
    for n in range(count):
        story = Article.objects.create(
            headline=f"Story {n}",
            slug=f"story-{n}",
            section=section,
            created_by=published.created_by,
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=n + 1),
        )
        yield story


def test_stories_are_paged_by_cursor_newest_first(client, published):
    stories = [published, *_publish_copies(published, 4)]
    seen, url = [], "/api/v1/stories/?limit=2"
    while url:
        page = get_json(client, url)
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
    assert seen == [story.pk for story in stories]


def test_a_forged_cursor_is_a_clear_400(client, published):
    for cursor in (
        "bm9wZQ",
        "W10",
        "WyIxLTEiLCAxXQ",
        "WyIwMDAxLTAxLTAxVDAwOjAwKzAxOjAwIiwgMV0",
    ):
        body = get_json(client, f"/api/v1/stories/?cursor={cursor}", status=400)
        assert "cursor is not valid" in body["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "section=a%00b",
        "limit=0",
        "limit=101",
        "source=99999999999999999999",
        "updated_since=2026-01-01T00:00:00",  # no time zone
        "updated_since=0001-01-01T00:00:00%2B01:00",
    ],
)
def test_bad_parameters_are_refused_with_a_422(client, published, query):
    assert get_json(client, f"/api/v1/stories/?{query}", status=422)["detail"]


def test_huge_ids_are_refused_not_crashed(client, db):
    get_json(client, f"/api/v1/stories/{2**70}/", status=422)
    get_json(client, f"/api/v1/sources/{2**64}/", status=422)


def test_stories_filter_by_section_tag_source_and_update_time(client, published):
    tag = TagFactory(slug="missiles")
    published.tags.add(tag)
    other = next(_publish_copies(published, 1))
    kcna = Source.objects.get(name="Korean Central News Agency (KCNA)")

    def ids(query):
        return [
            item["id"]
            for item in get_json(client, f"/api/v1/stories/?{query}")["items"]
        ]

    assert ids("tag=missiles") == [published.pk]
    assert ids(f"section={published.section.slug}") == [published.pk, other.pk]
    assert ids("section=sport") == []
    assert ids(f"source={kcna.pk}") == [published.pk]
    later = (published.updated_at + datetime.timedelta(seconds=1)).isoformat()
    Article.objects.filter(pk=other.pk).update(
        updated_at=published.updated_at + datetime.timedelta(minutes=5)
    )
    assert ids(f"updated_since={later.replace('+', '%2B')}") == [other.pk]


def test_a_protected_source_is_neither_listed_nor_a_filter(client, published):
    kcna = Source.objects.get(name="Korean Central News Agency (KCNA)")
    listed = [
        item["id"] for item in get_json(client, "/api/v1/sources/?limit=100")["items"]
    ]
    assert kcna.pk in listed
    Source.objects.filter(pk=kcna.pk).update(protected=True)
    listed = [
        item["id"] for item in get_json(client, "/api/v1/sources/?limit=100")["items"]
    ]
    assert kcna.pk not in listed
    get_json(client, f"/api/v1/sources/{kcna.pk}/", status=404)
    # Which stories quote a protected source would unmask it.
    assert get_json(client, f"/api/v1/stories/?source={kcna.pk}")["items"] == []


def test_a_source_record_lists_its_checked_claims(client, published):
    koizumi = Source.objects.get(name="Shinjiro Koizumi")
    record = get_json(client, f"/api/v1/sources/{koizumi.pk}/")
    assert record["name"] == "Shinjiro Koizumi"
    assert record["roles"][0]["title"] == "Defense Minister of Japan"
    assert record["claims"] and all(
        claim["story_id"] == published.pk for claim in record["claims"]
    )


def test_sections_and_tags_list_only_those_of_public_stories(client, published):
    TagFactory(slug="unpublished-scoop")
    Section.objects.create(name="Secret section", slug="secret")
    sections = get_json(client, "/api/v1/sections/")["items"]
    assert [s["slug"] for s in sections] == [published.section.slug]
    published.tags.add(TagFactory(slug="missiles"))
    assert [t["slug"] for t in get_json(client, "/api/v1/tags/")["items"]] == [
        "missiles"
    ]


def test_the_corrections_log_lists_corrections_and_retractions(client, published):
    transition(published, "correct", message="The range was 900 km, not 1,000.")
    transition(published, "retract", message="Withdrawn.")
    log = get_json(client, "/api/v1/corrections/")
    assert [(c["kind"], c["text"]) for c in log["items"]] == [
        ("retraction", "Withdrawn."),
        ("correction", "The range was 900 km, not 1,000."),
    ]
    assert log["items"][0]["story_id"] == published.pk


def test_ninjs_is_valid_ninjs_2_with_claims_as_associations(
    client, published, django_capture_on_commit_callbacks
):
    doc = get_json(client, f"/api/v1/stories/{published.pk}/ninjs/")
    ninjs_21_properties = {
        "uri", "type", "profile", "version", "firstcreated", "versioncreated",
        "contentcreated", "embargoed", "pubstatus", "urgency", "copyrightholder",
        "copyrightnotice", "usageterms", "ednote", "language", "descriptions",
        "bodies", "headlines", "people", "organisations", "places", "subjects",
        "events", "objects", "infosources", "title", "by", "slugline", "located",
        "renditions", "associations", "altids", "trustindicators", "standard",
        "genres", "expires", "rightsinfo",
    }  # fmt: skip
    assert set(doc) <= ninjs_21_properties
    assert doc["standard"] == {
        "name": "ninjs",
        "version": "2.1",
        "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
    }
    assert doc["pubstatus"] == "usable"
    assert doc["headlines"] == [
        {"role": "main", "contenttype": "text/plain", "value": published.headline}
    ]
    claims = doc["associations"]
    assert len(claims) == 26
    for number, claim in enumerate(claims, start=1):
        assert set(claim) <= ninjs_21_properties | {"name"}
        assert claim["name"] == f"claim-{number}" and claim["profile"] == CLAIM_PROFILE
        assert claim["uri"].endswith(f"#claim-{number}")
        roles = {d["role"]: d["value"] for d in claim["descriptions"]}
        assert roles["veracity"] in Claim.Veracity.values
    kcna = [c for c in claims if any(
        s["name"] == "Korean Central News Agency (KCNA)" for s in c["infosources"]
    )]  # fmt: skip
    assert kcna and all(
        {d["role"]: d["value"] for d in c["descriptions"]}["veracity"] == "unverifiable"
        for c in kcna
    )
    with django_capture_on_commit_callbacks(execute=True):
        transition(published, "retract", message="Withdrawn.")
    doc = get_json(client, f"/api/v1/stories/{published.pk}/ninjs/")
    assert doc["pubstatus"] == "canceled"
    assert {
        "role": "retraction",
        "contenttype": "text/plain",
        "value": "Withdrawn.",
    } in doc["descriptions"]


def test_the_stored_document_is_served_in_one_query_until_a_public_change(
    client, published, django_capture_on_commit_callbacks
):
    url = f"/api/v1/stories/{published.pk}/"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 1
    assert second.content == first.content and second["ETag"] == first["ETag"]
    claim = published.claims.order_by("start").first()
    with django_capture_on_commit_callbacks(execute=True):
        claim_review(
            claim_id=claim.pk,
            actor=user("factchecker"),
            attribution="confirmed",
            veracity="misleading",
            public_explanation="NEW-EXPLANATION",
        )
    # Re-rated after publication: readers see it only through a correction.
    assert client.get(url)["ETag"] == first["ETag"]
    assert b"NEW-EXPLANATION" not in client.get(published.get_absolute_url()).content
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            published, "correct", message="Claim 1 re-rated.", claim_ids=(claim.pk,)
        )
    fourth = client.get(url)
    assert fourth["ETag"] != first["ETag"]
    assert b"NEW-EXPLANATION" in fourth.content
    assert json.loads(fourth.content)["claims"][0]["corrected_at"]


def test_conditional_requests_are_answered_304(client, published):
    url = f"/api/v1/stories/{published.pk}/"
    response = client.get(url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    listing = client.get("/api/v1/stories/")
    assert listing["ETag"] and listing["Last-Modified"]
    again = client.get(
        "/api/v1/stories/",
        HTTP_IF_NONE_MATCH=listing["ETag"],
    )
    assert again.status_code == 304


def test_last_modified_moves_only_when_the_document_changes(
    client, published, django_capture_on_commit_callbacks
):
    url = f"/api/v1/stories/{published.pk}/"

    def changed_at():
        return StoryDocument.objects.get(pk=published.pk).changed_at

    client.get(url)
    built = changed_at()
    with django_capture_on_commit_callbacks(execute=True):
        public_content_changed.send(sender=None, article_id=None)  # e.g. a tag
    client.get(url)  # rebuilt for the new edition, the same document
    assert changed_at() == built
    with django_capture_on_commit_callbacks(execute=True):
        transition(published, "correct", message="A correction.")
    after = client.get(url)
    assert json.loads(after.content)["corrections"][0]["text"] == "A correction."
    assert changed_at() > built


def test_clients_are_rate_limited_with_retry_after(client, published, settings):
    settings.API_RATE_ANONYMOUS = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/sections/").status_code == 200
    refused = client.get("/api/v1/stories/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    other = client.get("/api/v1/sections/", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_the_openapi_document_and_its_page_are_served(client, db):
    schema = get_json(client, "/api/v1/openapi.json")
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/stories/{story_id}/" in schema["paths"]
    assert "/api/v1/staff/stories/" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert "'unsafe-inline'" in docs["Content-Security-Policy"].split("style-src")[1]
