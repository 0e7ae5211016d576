"""Proposals carry a confidence and several claims per sentence; new speakers
are matched against the registry before an unconfirmed source is created."""

import pytest

from desk.services import article_start
from factcheck.anchoring import reanchor
from factcheck.extraction import split_sentences
from factcheck.models import Claim, Source
from factcheck.services import claims_propose
from tests.factories import SourceFactory, article_content

pytestmark = pytest.mark.django_db

TWO_VOICES = (
    "Mayor Ana Ruiz said the bridge would reopen in May, while engineer "
    "Tomas Berg said repairs would take until autumn.\n\n"
    "The bridge closed in January."
)


def start(reporter, capture, body, slug="story"):
    with capture(execute=True):
        return article_start(
            actor=reporter, content=article_content(body=body, slug=slug)
        )


def live(article):
    return list(article.claims.exclude(anchor=Claim.Anchor.DETACHED).order_by("start"))


def test_a_sentence_with_two_attributions_gives_two_claims_with_their_own_spans(
    reporter, django_capture_on_commit_callbacks
):
    article = start(reporter, django_capture_on_commit_callbacks, TWO_VOICES)
    claims = live(article)
    assert [c.text for c in claims] == [
        "Mayor Ana Ruiz said the bridge would reopen in May",
        "while engineer Tomas Berg said repairs would take until autumn.",
        "The bridge closed in January.",
    ]
    assert [c.speaker.name if c.speaker else None for c in claims] == [
        "Mayor Ana Ruiz",
        "engineer Tomas Berg",
        None,
    ]
    assert all(article.body[c.start : c.end] == c.text for c in claims)
    assert claims_propose(article_id=article.pk) == {"created": 0, "updated": 0}


def test_every_proposal_has_a_confidence_and_a_manual_claim_none(
    reporter, django_capture_on_commit_callbacks
):
    body = (
        "Ana Ruiz arrived in the city on Monday.\n\n"
        "She said the bridge would reopen in May.\n\n"
        "Officials said the works were on schedule."
    )
    article = start(reporter, django_capture_on_commit_callbacks, body)
    confidences = [c.confidence for c in live(article)]
    assert confidences == [
        Claim.Confidence.HIGH,
        Claim.Confidence.MEDIUM,  # "She" reached across a paragraph break
        Claim.Confidence.HIGH,
    ]
    assert Claim._meta.get_field("confidence").blank


def test_two_claims_in_one_sentence_survive_an_edit_elsewhere(
    reporter, django_capture_on_commit_callbacks
):
    article = start(reporter, django_capture_on_commit_callbacks, TWO_VOICES)
    claims = live(article)
    new_body = "A new opening paragraph.\n\n" + article.body
    placements = reanchor(
        [(c.pk, c.start, c.end, c.text) for c in claims],
        len(article.body),
        new_body,
        split_sentences(new_body),
    )
    moved = {p.claim_id: p for p in placements}
    for claim in claims:
        placement = moved[claim.pk]
        assert placement.outcome in ("same", "moved")
        assert new_body[placement.span.start : placement.span.end] == claim.text


def test_a_transliteration_of_a_known_name_reuses_its_source(
    reporter, django_capture_on_commit_callbacks
):
    kim = SourceFactory(name="Kim Jong Un", kind=Source.Kind.OFFICIAL)
    start(
        reporter,
        django_capture_on_commit_callbacks,
        "Kim Jong-un said the tests would continue.",
    )
    assert not Source.objects.filter(name="Kim Jong-un").exists()
    assert Claim.objects.get().speaker == kim


def test_a_pronoun_for_an_unregistered_person_credits_the_named_person(
    reporter, django_capture_on_commit_callbacks
):
    body = (
        "Leif-Eric Easley, a professor in Seoul, said the launch was a signal. "
        "He said more tests were likely."
    )
    article = start(reporter, django_capture_on_commit_callbacks, body)
    first, second = live(article)
    assert second.speaker_text == "He"
    assert second.speaker == first.speaker
    assert Source.objects.filter(confirmed=False).count() == 1


def test_a_full_name_is_not_folded_into_a_source_sharing_its_surname(
    reporter, django_capture_on_commit_callbacks
):
    SourceFactory(name="Kim Jong Un", aliases="Kim", kind=Source.Kind.OFFICIAL)
    start(
        reporter,
        django_capture_on_commit_callbacks,
        "Kim Yo Jong said the drills were a provocation.",
    )
    assert Source.objects.filter(name="Kim Yo Jong", confirmed=False).exists()
