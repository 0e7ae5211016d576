"""The published article page: claims with their provenance, and nothing internal."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from articles.models import Article
from desk import workflow
from factcheck.models import Claim
from factcheck.services import claims_publish
from reader.structured_data import RATING_VALUES

pytestmark = pytest.mark.django_db


def get_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_every_attributed_sentence_shows_its_source(client, published):
    page = get_page(client, published)
    claims = list(published.claims.order_by("start"))
    assert page.count('class="claim-marker"') == len(claims) == 26
    # Entries are grouped by source: put them back in the story's order.
    entries = sorted(
        re.findall(
            r'<li id="claim-(\d+)" class="claim-entry">(.*?)</li>\s*(?=<li id|</ol>)',
            page,
            re.S,
        ),
        key=lambda entry: int(entry[0]),
    )
    assert [int(number) for number, _ in entries] == list(range(1, 27))
    for (number, entry), claim in zip(entries, claims, strict=True):
        assert f'href="#claim-{number}"' in page  # the marker in the body
        assert escape(claim.text) in entry
        if claim.speaker:
            assert escape(claim.speaker.public_name) in entry
        else:
            assert "our reporting" in entry
    assert "Korean Central News Agency (KCNA)</a>, as reported by" not in page
    assert "(state media)" in page
    assert "its reports cannot be independently verified" in page
    assert "Shinjiro Koizumi</a>, Defense Minister of Japan" in page


def test_a_role_is_not_given_before_the_source_held_it(client, published):
    published.story_date = published.story_date.replace(year=2024)
    Article.objects.filter(pk=published.pk).update(story_date=published.story_date)
    page = get_page(client, published)
    assert "Shinjiro Koizumi</a> <span" in page
    assert "Defense Minister of Japan" not in page


def test_nothing_internal_reaches_the_reader(client, published, editor):
    page = get_page(client, published)
    assert "internal note" not in page and "Private call log" not in page
    assert (
        "factchecker" not in page and "Farah" not in page
    )  # staff who are not bylined
    assert "Ravi Reporter" in page  # the byline is public


def test_a_claim_sent_back_to_review_leaves_the_page_only_through_a_correction(
    client, published, publisher, django_capture_on_commit_callbacks
):
    claim = published.claims.order_by("start").first()
    Claim.objects.filter(pk=claim.pk).update(review=Claim.Review.REOPENED)
    page = get_page(client, published)
    assert page.count('class="claim-marker"') == 26  # readers see what was published
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(
            article_id=published.pk,
            actor=publisher,
            name="correct",
            message="We are checking this sentence again.",
            claim_ids=(claim.pk,),
        )
    page = get_page(client, published)
    assert page.count('class="claim-marker"') == 25
    assert claim.text not in page.split("How we know this")[1]


def test_json_ld_has_a_news_article_and_one_claim_review_per_rated_claim(
    client, published
):
    data = json_ld(get_page(client, published))
    graph = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert (
        graph[0]["@type"] == "NewsArticle"
        and graph[0]["headline"] == published.headline
    )
    reviews = [item for item in graph if item["@type"] == "ClaimReview"]
    assert (
        len(reviews) == published.claims.exclude(veracity="not_assessed").count() == 26
    )
    first = reviews[0]
    assert first["claimReviewed"].startswith("South Korea’s Joint Chiefs of Staff")
    assert first["url"].endswith(published.get_absolute_url() + "#claim-1")
    rating = first["reviewRating"]
    assert (
        rating["ratingValue"],
        rating["bestRating"],
        rating["worstRating"],
        rating["alternateName"],
    ) == (5, 5, 1, "Accurate")
    assert first["itemReviewed"]["@type"] == "Claim"
    assert (
        first["itemReviewed"]["author"]["name"] == "Joint Chiefs of Staff (South Korea)"
    )
    assert first["itemReviewed"]["appearance"]["url"].endswith(
        published.get_absolute_url()
    )
    assert (
        first["author"]["@type"] == "NewsMediaOrganization" and first["datePublished"]
    )
    kcna = [r for r in reviews if "KCNA" in r["itemReviewed"]["author"]["name"]]
    assert {r["reviewRating"]["alternateName"] for r in kcna} == {"Unverifiable"}
    assert set(RATING_VALUES.values()) >= {
        r["reviewRating"]["ratingValue"] for r in reviews
    }


def test_json_ld_cannot_be_broken_out_of_by_claim_text(client, published):
    claim = published.claims.order_by("start").first()
    Claim.objects.filter(pk=claim.pk).update(text="</script><script>alert(1)</script>")
    page = get_page(client, published)
    assert "</script><script>alert(1)" not in page
    json_ld(page)  # still parses


def test_protected_sources_are_never_named(client, published):
    claim = published.claims.filter(speaker__isnull=False).order_by("start").first()
    source = claim.speaker
    source.protected, source.description = True, "A military official in Seoul"
    source.save()
    page = get_page(client, published)
    assert source.name not in page and "A military official in Seoul" in page
    assert client.get(f"/sources/{source.pk}/").status_code == 404


def test_building_a_story_runs_the_same_queries_for_1_and_200_claims(
    client, published, settings
):
    settings.STORY_RENDER_MAX_AGE = 0  # every request builds the story live
    Claim.objects.filter(article=published).exclude(
        pk=published.claims.order_by("start").first().pk
    ).update(review=Claim.Review.UNREVIEWED)

    url = published.get_absolute_url()

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count_queries()
    body = published.body
    sentences = [f"Officials said test {n} took place." for n in range(199)]
    extended = body + "\n\n" + " ".join(sentences)
    Article.objects.filter(pk=published.pk).update(body=extended)
    base = len(extended) - len(" ".join(sentences))
    claims, offset = [], base
    for sentence in sentences:
        claims.append(
            Claim(
                article=published,
                paragraph=21,
                start=offset,
                end=offset + len(sentence),
                text=sentence,
                review=Claim.Review.REVIEWED,
                veracity="accurate",
                attribution="confirmed",
            )
        )
        offset += len(sentence) + 1
    Claim.objects.bulk_create(claims)
    claims_publish(article_id=published.pk, now=published.published_at)
    assert published.claims.filter(review="reviewed").count() == 200
    many = count_queries()
    assert one == many <= 8  # the story, then seven for its claims and credits
    assert get_page(client, published).count('class="claim-marker"') == 200


def test_retracted_story_keeps_its_page_with_a_notice(client, published):
    workflow.article_transition(
        article_id=published.pk,
        actor=published.created_by.__class__.objects.get(username="publisher"),
        name="retract",
        message="The launch was misreported.",
    )
    page = get_page(client, published)
    assert (
        "This story has been retracted" in page
        and "The launch was misreported." in page
    )


def test_corrections_appear_on_the_story_and_in_the_public_log(client, published):
    publisher = published.created_by.__class__.objects.get(username="publisher")
    workflow.article_transition(
        article_id=published.pk,
        actor=publisher,
        name="correct",
        message="An earlier version gave the range in miles only.",
    )
    assert "An earlier version gave the range in miles only." in get_page(
        client, published
    )
    log = client.get("/corrections/").content.decode()
    assert "An earlier version gave the range in miles only." in log
    assert escape(published.headline) in log


def test_unpublished_and_draft_stories_are_not_found(client, published, demo):
    publisher = published.created_by.__class__.objects.get(username="publisher")
    workflow.article_transition(
        article_id=published.pk, actor=publisher, name="unpublish", message="Legal hold"
    )
    assert client.get(published.get_absolute_url()).status_code == 404
