"""Claims in the database: proposals, re-anchoring after edits, hand edits."""

import pytest
from django.core.exceptions import PermissionDenied

from articles.content import ArticleContent
from desk.services import article_save, article_start
from factcheck.exceptions import ClaimError, SelfReviewForbidden
from factcheck.models import Claim, Source
from factcheck.services import (
    claim_accept,
    claim_correct,
    claim_create,
    claim_dismiss,
    claim_merge,
    claim_review,
    claim_split,
    claims_propose,
    source_merge,
)
from tests.factories import SourceFactory, article_content

pytestmark = pytest.mark.django_db

BODY = (
    "South Korea's Joint Chiefs of Staff said it detected several ballistic "
    "missile launches. "
    "It said the missiles flew about 900 kilometers.\n\n"
    "The launches were the latest weapons demonstration by North Korea.\n\n"
    "“We will respond firmly,” Jane Doe told reporters."
)


@pytest.fixture
def jcs(db):
    return SourceFactory(
        name="Joint Chiefs of Staff (South Korea)",
        kind=Source.Kind.MILITARY,
        aliases="South Korea's Joint Chiefs of Staff\nthe JCS",
    )


@pytest.fixture
def article(reporter, jcs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return article_start(actor=reporter, content=article_content(body=BODY))


def live(article):
    return list(article.claims.exclude(anchor=Claim.Anchor.DETACHED).order_by("start"))


def edit_body(article, actor, body, capture):
    article.refresh_from_db()
    content = ArticleContent(
        **{
            **ArticleContent.of_revision(article.current_revision).as_dict(),
            "body": body,
        }
    )
    with capture(execute=True):
        article_save(
            article=article,
            actor=actor,
            content=content,
            base_revision_id=article.current_revision_id,
        )
    article.refresh_from_db()


def test_saving_a_draft_proposes_one_claim_per_sentence_with_speakers(article, jcs):
    claims = live(article)
    assert [c.text for c in claims] == [
        "South Korea's Joint Chiefs of Staff said it detected several ballistic "
        "missile launches.",
        "It said the missiles flew about 900 kilometers.",
        "The launches were the latest weapons demonstration by North Korea.",
        "“We will respond firmly,” Jane Doe told reporters.",
    ]
    assert [c.speaker for c in claims[:3]] == [jcs, jcs, None]
    assert [c.kind for c in claims] == [
        Claim.Kind.REPORTED_SPEECH,
        Claim.Kind.REPORTED_SPEECH,
        Claim.Kind.UNATTRIBUTED,
        Claim.Kind.DIRECT_QUOTE,
    ]
    assert all(c.origin == Claim.Origin.PROPOSED for c in claims)
    assert [c.paragraph for c in claims] == [0, 0, 1, 2]
    assert all(article.body[c.start : c.end] == c.text for c in claims)


def test_an_unregistered_named_speaker_becomes_one_unconfirmed_source(article):
    doe = Source.objects.get(name="Jane Doe")
    assert doe.confirmed is False and live(article)[3].speaker == doe
    claims_propose(article_id=article.pk)
    assert Source.objects.filter(name="Jane Doe").count() == 1


def test_proposing_twice_leaves_the_same_claims(article):
    def snapshot():
        return [
            (c.pk, c.start, c.end, c.kind, c.speaker_id, c.cue) for c in live(article)
        ]

    before = snapshot()
    assert claims_propose(article_id=article.pk) == {"created": 0, "updated": 0}
    assert snapshot() == before


def test_proposals_never_overwrite_what_a_person_set(article, editor):
    claim = live(article)[2]
    claim_correct(
        claim_id=claim.pk,
        actor=editor,
        kind=Claim.Kind.DIRECT_QUOTE,
        speaker=SourceFactory(name="Someone"),
        channel=None,
        cue="wrote",
    )
    claims_propose(article_id=article.pk)
    claim.refresh_from_db()
    assert (claim.kind, claim.speaker.name, claim.origin) == (
        Claim.Kind.DIRECT_QUOTE,
        "Someone",
        Claim.Origin.ACCEPTED,
    )


def test_editing_a_reviewed_sentence_reopens_only_that_claim(
    article, editor, factchecker, django_capture_on_commit_callbacks
):
    for claim in live(article):
        claim_review(
            claim_id=claim.pk,
            actor=factchecker,
            attribution="confirmed",
            veracity="accurate",
        )
    edit_body(
        article,
        editor,
        BODY.replace("about 900 kilometers", "about 1,000 kilometers"),
        django_capture_on_commit_callbacks,
    )
    states = {c.text: (c.review, c.anchor) for c in live(article)}
    assert states.pop("It said the missiles flew about 1,000 kilometers.") == (
        Claim.Review.REOPENED,
        Claim.Anchor.CHANGED,
    )
    assert set(states.values()) == {(Claim.Review.REVIEWED, Claim.Anchor.ANCHORED)}
    reopened = article.claims.get(review=Claim.Review.REOPENED)
    assert reopened.previous_text == "It said the missiles flew about 900 kilometers."
    assert reopened.veracity == "accurate"  # the old verdict stays visible
    assert reopened.reviews.count() == 1


def test_moving_a_paragraph_keeps_its_claims_and_verdicts(
    article, editor, factchecker, django_capture_on_commit_callbacks
):
    quote = live(article)[3]
    claim_review(
        claim_id=quote.pk,
        actor=factchecker,
        attribution="confirmed",
        veracity="accurate",
    )
    paragraphs = BODY.split("\n\n")
    edit_body(
        article,
        editor,
        "\n\n".join([paragraphs[2], paragraphs[0], paragraphs[1]]),
        django_capture_on_commit_callbacks,
    )
    quote.refresh_from_db()
    assert (quote.start, quote.paragraph, quote.review) == (0, 0, Claim.Review.REVIEWED)
    assert article.claims.count() == 4


def test_deleting_a_sentence_detaches_its_claim(
    article, editor, django_capture_on_commit_callbacks
):
    edit_body(
        article,
        editor,
        BODY.replace("It said the missiles flew about 900 kilometers.", ""),
        django_capture_on_commit_callbacks,
    )
    detached = article.claims.get(anchor=Claim.Anchor.DETACHED)
    assert detached.text == "It said the missiles flew about 900 kilometers."
    assert len(live(article)) == 3


def test_new_sentences_get_proposals_after_an_edit(
    article, editor, django_capture_on_commit_callbacks
):
    edit_body(
        article,
        editor,
        BODY + "\n\nOfficials said more tests are expected.",
        django_capture_on_commit_callbacks,
    )
    assert live(article)[-1].text == "Officials said more tests are expected."


def test_dismissed_proposals_are_not_proposed_again(article, editor):
    claim = live(article)[2]
    claim_dismiss(claim_id=claim.pk, actor=editor)
    claims_propose(article_id=article.pk)
    assert article.claims.filter(start=claim.start).count() == 1
    assert article.claims.get(start=claim.start).review == Claim.Review.DISMISSED


def test_accepting_a_proposal_freezes_it(article, editor):
    claim = claim_accept(claim_id=live(article)[0].pk, actor=editor)
    assert claim.origin == Claim.Origin.ACCEPTED


def test_split_and_merge_claims(article, editor):
    first = live(article)[0]
    left, right = claim_split(
        claim_id=first.pk, actor=editor, at=first.text.index("detected")
    )
    assert left.text == "South Korea's Joint Chiefs of Staff said it"
    assert right.text == "detected several ballistic missile launches."
    merged = claim_merge(claim_ids=[left.pk, right.pk], actor=editor)
    assert merged.text == first.text
    right.refresh_from_db()
    assert right.anchor == Claim.Anchor.DETACHED  # kept with its history


def test_merging_or_splitting_onto_the_words_of_another_claim_is_refused(
    article, editor
):
    first, second = live(article)[:2]
    whole = claim_create(
        article_id=article.pk, actor=editor, start=first.start, end=second.end
    )
    with pytest.raises(ClaimError, match="already covers exactly these words"):
        claim_merge(claim_ids=[first.pk, second.pk], actor=editor)
    # Its first half would be exactly the first sentence's claim.
    with pytest.raises(ClaimError, match="already covers exactly these words"):
        claim_split(claim_id=whole.pk, actor=editor, at=len(first.text) + 1)
    whole.refresh_from_db()
    assert (whole.start, whole.end) == (first.start, second.end)


def test_splitting_at_the_edge_is_refused(article, editor):
    with pytest.raises(ClaimError):
        claim_split(claim_id=live(article)[0].pk, actor=editor, at=0)


def test_a_hand_made_claim_must_cover_body_text(article, editor):
    with pytest.raises(ClaimError):
        claim_create(article_id=article.pk, actor=editor, start=5, end=5)
    with pytest.raises(ClaimError):
        claim_create(article_id=article.pk, actor=editor, start=0, end=10_000)


def test_an_attributed_claim_needs_a_speaker(article, editor):
    with pytest.raises(ClaimError, match="needs a speaker"):
        claim_correct(
            claim_id=live(article)[0].pk,
            actor=editor,
            kind=Claim.Kind.REPORTED_SPEECH,
            speaker=None,
            channel=None,
        )


def test_merging_sources_moves_every_claim_and_keeps_the_name_as_alias(article, jcs):
    duplicate = SourceFactory(name="JCS", aliases="S. Korean military")
    article.claims.filter(speaker=jcs).update(speaker=duplicate)
    keep = source_merge(keep_id=jcs.pk, duplicate_id=duplicate.pk)
    assert article.claims.filter(speaker=jcs).count() == 2
    assert not Source.objects.filter(pk=duplicate.pk).exists()
    assert {"JCS", "S. Korean military"} <= set(keep.alias_list)


def test_nobody_reviews_claims_on_a_story_they_wrote_or_edited(
    article, reporter, editor, factchecker
):
    claim = live(article)[0]
    factchecker.groups.add(*reporter.groups.all())
    with pytest.raises(PermissionDenied):
        claim_review(
            claim_id=claim.pk,
            actor=reporter,
            attribution="confirmed",
            veracity="accurate",
        )
    editor.groups.add(factchecker.groups.get(name="fact-checker"))
    editor = type(editor).objects.get(pk=editor.pk)  # drop the permission cache
    article_save(
        article=article,
        actor=editor,
        content=ArticleContent(
            **{
                **ArticleContent.of_revision(article.current_revision).as_dict(),
                "headline": "Edited",
            }
        ),
        base_revision_id=article.current_revision_id,
    )
    with pytest.raises(SelfReviewForbidden):
        claim_review(
            claim_id=claim.pk,
            actor=editor,
            attribution="confirmed",
            veracity="accurate",
        )


def test_every_review_decision_is_kept_as_history(article, factchecker):
    claim = live(article)[0]
    claim_review(
        claim_id=claim.pk,
        actor=factchecker,
        attribution="not_confirmed",
        veracity="not_assessed",
        note="Waiting for the JCS text",
    )
    claim_review(
        claim_id=claim.pk,
        actor=factchecker,
        attribution="confirmed",
        veracity="accurate",
        evidence=[
            {
                "title": "JCS statement",
                "url": "https://jcs.example/statement",
                "original_language": "ko",
                "original_text": "합참은 …",
                "translation": "The JCS said …",
            }
        ],
    )
    claim.refresh_from_db()
    assert [r.attribution for r in claim.reviews.all()] == [
        "confirmed",
        "not_confirmed",
    ]
    assert (claim.attribution, claim.veracity) == ("confirmed", "accurate")
    assert claim.evidence.get().translation == "The JCS said …"
    assert article.audit_entries.filter(action="review").count() == 2


def test_correcting_a_reviewed_claims_speaker_sends_it_back_to_review(
    article, editor, factchecker
):
    claim = live(article)[0]
    claim_review(
        claim_id=claim.pk,
        actor=factchecker,
        attribution="confirmed",
        veracity="accurate",
    )
    claim_correct(
        claim_id=claim.pk,
        actor=editor,
        kind=Claim.Kind.REPORTED_SPEECH,
        speaker=SourceFactory(name="Someone else"),
        channel=None,
        cue="said",
    )
    claim.refresh_from_db()
    assert claim.review == Claim.Review.REOPENED
    assert article.audit_entries.filter(action="claim_changed").count() == 1


def test_the_storys_own_writers_cannot_dismiss_its_claims(article, reporter):
    with pytest.raises(SelfReviewForbidden):
        claim_dismiss(claim_id=live(article)[0].pk, actor=reporter)
    assert live(article)[0].review == Claim.Review.UNREVIEWED


def test_moving_every_claim_costs_the_same_queries_for_4_or_40_claims(
    reporter, editor, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_prepend_a_paragraph(sentences: int) -> int:
        body = "\n\n".join(
            f"Officials said test {n} happened." for n in range(sentences)
        )
        with django_capture_on_commit_callbacks(execute=True):
            story = article_start(
                actor=reporter, content=article_content(body=body, slug=f"s{sentences}")
            )
        assert story.claims.count() == sentences
        content = ArticleContent.of_revision(story.current_revision)
        with CaptureQueriesContext(connection) as queries:
            article_save(
                article=story,
                actor=editor,
                content=ArticleContent(
                    **{**content.as_dict(), "body": "A new lead.\n\n" + body}
                ),
                base_revision_id=story.current_revision_id,
            )
        assert {c.paragraph for c in story.claims.all()} == set(range(1, sentences + 1))
        return len(queries)

    editor.has_perm("articles.edit_any_article")  # load the permission cache once
    assert queries_to_prepend_a_paragraph(4) == queries_to_prepend_a_paragraph(40)
