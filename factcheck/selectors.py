"""Reads for the fact-check app."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q

from articles.models import Article
from factcheck.anchoring import Reanchoring, reanchor
from factcheck.extraction import RegistryEntry, SourceRegistry, split_sentences
from factcheck.models import Claim, ClaimReview, Evidence, Source


def source_registry() -> SourceRegistry:
    """Every source with its aliases, for resolving speakers (one query)."""
    entries = [
        RegistryEntry(
            key=str(pk),
            name=name,
            aliases=tuple(Source.parse_aliases(aliases)),
            kind=kind,
        )
        for pk, name, aliases, kind in Source.objects.values_list(
            "pk", "name", "aliases", "kind"
        )
    ]
    return SourceRegistry(entries)


def claims_proposal_key(article_id: int) -> str:
    """The outbox key of a story's claim proposals."""
    return f"propose-claims:{article_id}"


def live_claims(article_id: int):
    """Claims that still count: anchored in the body and not dismissed."""
    return (
        Claim.objects.filter(article_id=article_id)
        .exclude(anchor=Claim.Anchor.DETACHED)
        .exclude(review=Claim.Review.DISMISSED)
    )


@dataclass(frozen=True)
class ClaimBlocker:
    """A live claim that stands between the story and readers, as it stands now:
    awaiting review, misattributed or rated false."""

    claim_id: int
    text: str
    review: str
    attribution: str
    veracity: str

    @property
    def problem(self) -> str:
        if self.review in Claim.AWAITING_REVIEW:
            return "await review"
        if self.attribution == Claim.Attribution.MISATTRIBUTED:
            return "are misattributed"
        return "are rated false"

    @property
    def signature(self) -> dict:
        """What an override vouches for: this claim with exactly this verdict."""
        return {
            "claim": self.claim_id,
            "review": self.review,
            "attribution": self.attribution,
            "veracity": self.veracity,
        }


_BLOCKING = Q(review__in=Claim.AWAITING_REVIEW) | Q(
    Q(attribution=Claim.Attribution.MISATTRIBUTED) | Q(veracity=Claim.Veracity.FALSE),
    review=Claim.Review.REVIEWED,
)


def claim_blockers(article_id: int) -> list[ClaimBlocker]:
    """The story's live claims that block approval, in story order (one query)."""
    rows = (
        live_claims(article_id)
        .filter(_BLOCKING)
        .order_by("start", "pk")
        .values_list("pk", "text", "review", "attribution", "veracity")
    )
    return [ClaimBlocker(*row) for row in rows]


def blocker_reasons(blockers: list[ClaimBlocker]) -> list[str]:
    """``blockers`` counted by problem, for people: "2 claim(s) await review"."""
    counts = Counter(blocker.problem for blocker in blockers)
    return [
        f"{counts[problem]} claim(s) {problem}"
        for problem in ("await review", "are misattributed", "are rated false")
        if counts[problem]
    ]


@dataclass(frozen=True)
class ClaimChange:
    """A claim of a public story whose live state is not what readers see."""

    claim: Claim
    change: str  # for people: what happened since readers last saw it


def _public_change(claim: Claim) -> str:
    """How ``claim`` differs from what readers see of it ("" when it does not)."""
    shown = getattr(claim, "published", None)
    if shown is None:
        return "checked since publication, not yet shown to readers"
    if claim.anchor == Claim.Anchor.DETACHED:
        return "taken out of the story (merged or removed)"
    if claim.review == Claim.Review.DISMISSED:
        return "dismissed"
    if claim.review != Claim.Review.REVIEWED:
        return "sent back to review"
    if (claim.attribution, claim.veracity) != (shown.attribution, shown.veracity):
        return "re-rated"
    if (claim.kind, claim.speaker_id, claim.channel_id, claim.speaker_text) != (
        shown.kind,
        shown.speaker_id,
        shown.channel_id,
        shown.speaker_text,
    ):
        return "re-attributed"
    if (claim.start, claim.end, claim.text) != (shown.start, shown.end, shown.text):
        return "split or merged"
    evidence = sorted(item.pk for item in claim.evidence.all())
    if (claim.public_explanation, evidence) != (
        shown.public_explanation,
        sorted(shown.evidence_ids),
    ):
        return "explanation or evidence changed"
    return ""


def claims_needing_correction(*, article_id: int | None = None) -> list[ClaimChange]:
    """Claims of public stories that changed since readers last saw them: each
    reaches readers only through a publisher's correction naming it.

    Two queries: only claims touched after their published version (or
    checked and never shown) are compared field by field.
    """
    candidates = (
        Claim.objects.filter(article__status__in=Article.PUBLIC_STATUSES)
        .filter(
            Q(published__isnull=True, review=Claim.Review.REVIEWED)
            & ~Q(anchor=Claim.Anchor.DETACHED)
            | Q(
                published__isnull=False,
                updated_at__gt=F("published__published_at"),
            )
        )
        .select_related("published", "article")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.filter(public=True))
        )
        .order_by("-updated_at", "pk")
    )
    if article_id is not None:
        candidates = candidates.filter(article_id=article_id)
    changes = [ClaimChange(claim, _public_change(claim)) for claim in candidates]
    return [change for change in changes if change.change]


def claim_placements(claims: list[Claim], old_body: str, new_body: str):
    """Where ``claims`` (of ``old_body``) land in ``new_body``: the one rule the
    save (``claims_reanchor``) and the editor's preview both use."""
    return reanchor(
        [(c.pk, c.start, c.end, c.text) for c in sorted(claims, key=lambda c: c.start)],
        len(old_body),
        new_body,
        split_sentences(new_body),
    )


@dataclass(frozen=True)
class PanelClaim:
    """A claim as the writing surface shows it beside the text."""

    claim: Claim
    state: str  # proposed, awaiting, reviewed, reopened or dismissed
    checked_by: str  # who decided it last ("" if nobody yet)

    STATE_LABELS = {
        "proposed": "Proposed",
        "awaiting": "Awaiting review",
        "reviewed": "Reviewed",
        "reopened": "Reopened by an edit",
        "dismissed": "Dismissed",
    }

    @property
    def state_label(self) -> str:
        return self.STATE_LABELS[self.state]

    @property
    def verdict(self) -> str:
        claim = self.claim
        if not claim.attribution:
            return ""
        return f"{claim.get_attribution_display()} · {claim.get_veracity_display()}"


def _panel_state(claim: Claim) -> str:
    if claim.review == Claim.Review.DISMISSED:
        return "dismissed"
    if claim.review == Claim.Review.REVIEWED:
        return "reviewed"
    if claim.review == Claim.Review.REOPENED:
        return "reopened"
    return "proposed" if claim.origin == Claim.Origin.PROPOSED else "awaiting"


def _checker(claim: Claim) -> str:
    last = next(iter(claim.reviews.all()), None)
    if last is None:
        return ""
    return last.reviewer.get_full_name() or last.reviewer.get_username()


def claims_panel(article_id: int) -> list[PanelClaim]:
    """The story's claims still in its text, in text order, with their review
    state and last checker: the claims panel (two queries, however many)."""
    claims = (
        Claim.objects.filter(article_id=article_id)
        .exclude(anchor=Claim.Anchor.DETACHED)
        .select_related("speaker", "channel")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=ClaimReview.objects.select_related("reviewer"),
            )
        )
        .order_by("start", "pk")
    )
    return [PanelClaim(c, _panel_state(c), _checker(c)) for c in claims]


@dataclass(frozen=True)
class EditConsequence:
    """What saving a new text would do to a checked claim."""

    claim: Claim
    checked_by: str
    outcome: str  # "reopens" or "removes"


def claims_affected_by(article: Article, new_body: str) -> list[EditConsequence]:
    """Reviewed claims that saving ``new_body`` would send back to review (their
    sentence changed) or take out of the story (sentence gone), found with the
    re-anchoring the save itself runs. Reads only."""
    if new_body == article.body:
        return []
    # Every claim the save re-anchors (dismissed ones too: they hold their span).
    claims = {p.claim.pk: p for p in claims_panel(article.pk)}
    placements: list[Reanchoring] = claim_placements(
        [p.claim for p in claims.values()], article.body, new_body
    )
    outcomes = {"changed": "reopens", "detached": "removes"}
    return [
        EditConsequence(
            claim=claims[placement.claim_id].claim,
            checked_by=claims[placement.claim_id].checked_by,
            outcome=outcomes[placement.outcome],
        )
        for placement in placements
        if placement.outcome in outcomes
        and claims[placement.claim_id].state == "reviewed"
    ]
