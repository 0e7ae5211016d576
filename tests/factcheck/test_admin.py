"""The claim and source admin as editors use it."""

import pytest
from django.urls import reverse

from desk.services import article_start
from factcheck.models import Claim, Source
from tests.factories import SourceFactory, article_content

pytestmark = pytest.mark.django_db

BODY = "Officials said the launch failed. The rocket fell into the sea."


@pytest.fixture
def article(reporter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return article_start(actor=reporter, content=article_content(body=BODY))


def test_the_article_change_page_lists_its_claims_in_order_beside_the_text(
    client, editor, article
):
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert [row.claim.text for row in page.context["panel_claims"]] == [
        "Officials said the launch failed.",
        "The rocket fell into the sea.",
    ]
    text = page.content.decode()
    assert "Proposed" in text and "own assertion" in text
    claims = client.get(f"/admin/factcheck/claim/?article__id__exact={article.pk}")
    assert claims.status_code == 200 and len(claims.context["cl"].result_list) == 2


def test_editors_accept_dismiss_and_merge_from_the_claim_list(client, editor, article):
    client.force_login(editor)
    first, second = article.claims.order_by("start")
    url = reverse("admin:factcheck_claim_changelist")
    client.post(url, {"action": "accept_claims", "_selected_action": [first.pk]})
    client.post(
        url, {"action": "merge_claims", "_selected_action": [first.pk, second.pk]}
    )
    merged = Claim.objects.exclude(anchor=Claim.Anchor.DETACHED).get(article=article)
    assert merged.text == BODY and merged.origin == Claim.Origin.MANUAL
    client.post(url, {"action": "dismiss_claims", "_selected_action": [merged.pk]})
    assert Claim.objects.get(pk=merged.pk).review == Claim.Review.DISMISSED


def test_editors_add_a_claim_by_pasting_its_words(client, editor, article):
    client.force_login(editor)
    speaker = SourceFactory(name="Navy spokesperson")
    response = client.post(
        reverse("admin:factcheck_claim_add"),
        {
            "article": article.pk,
            "text": "The rocket fell",
            "occurrence": 1,
            "kind": Claim.Kind.REPORTED_SPEECH,
            "speaker": speaker.pk,
            "cue": "said",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(origin=Claim.Origin.MANUAL)
    assert article.body[claim.start : claim.end] == "The rocket fell"
    missing = client.post(
        reverse("admin:factcheck_claim_add"),
        {
            "article": article.pk,
            "text": "Words that are not there",
            "occurrence": 1,
            "kind": Claim.Kind.UNATTRIBUTED,
        },
    )
    assert (
        missing.status_code == 200
        and "not in the article body" in missing.content.decode()
    )


def test_editors_split_a_claim(client, editor, article):
    client.force_login(editor)
    claim = article.claims.order_by("start").first()
    response = client.post(
        reverse("admin:factcheck_claim_split", args=[claim.pk]),
        {"second_part_starts_with": "the launch"},
    )
    assert response.status_code == 302
    assert [c.text for c in article.claims.order_by("start")][:2] == [
        "Officials said",
        "the launch failed.",
    ]


def test_source_admin_shows_claim_counts_and_merges_duplicates(client, editor, article):
    client.force_login(editor)
    keep = SourceFactory(name="Ministry of Defense")
    duplicate = SourceFactory(name="MoD")
    article.claims.update(speaker=duplicate, kind=Claim.Kind.REPORTED_SPEECH)
    listing = client.get(reverse("admin:factcheck_source_changelist"))
    counts = {s.name: s.live_claims for s in listing.context["cl"].result_list}
    assert counts["MoD"] == 2 and counts["Ministry of Defense"] == 0
    url = reverse("admin:factcheck_source_changelist")
    client.post(
        url,
        {
            "action": "merge_sources",
            "_selected_action": [keep.pk, duplicate.pk],
            "keep": keep.pk,
        },
    )
    assert not Source.objects.filter(pk=duplicate.pk).exists()
    assert article.claims.filter(speaker=keep).count() == 2
    assert "MoD" in Source.objects.get(pk=keep.pk).alias_list


def test_a_reporter_cannot_change_claims_in_the_admin(client, reporter, article):
    client.force_login(reporter)
    claim = article.claims.first()
    response = client.post(
        reverse("admin:factcheck_claim_change", args=[claim.pk]),
        {"kind": Claim.Kind.DIRECT_QUOTE},
    )
    assert response.status_code == 403


def test_protecting_a_source_in_the_admin_drops_cached_reader_pages(
    client, editor, article, django_capture_on_commit_callbacks
):
    from reader.caching import public_version

    source = SourceFactory(name="A brave official")
    before = public_version()
    client.force_login(editor)
    url = reverse("admin:factcheck_source_change", args=[source.pk])
    data = {
        "name": source.name,
        "kind": source.kind,
        "aliases": "",
        "description": "An official",
        "protected": "on",
        "confirmed": "on",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert Source.objects.get(pk=source.pk).protected
    assert public_version() != before
