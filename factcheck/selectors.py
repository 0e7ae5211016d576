"""Reads for the fact-check app."""

from django.db.models import Count, Q

from factcheck.extraction import RegistryEntry, SourceRegistry
from factcheck.models import Claim, Source


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


def approval_blockers(article_id: int) -> list[str]:
    """Why the story cannot be approved as it stands; empty when it can (one query)."""
    counts = live_claims(article_id).aggregate(
        waiting=Count("pk", filter=Q(review__in=Claim.AWAITING_REVIEW)),
        misattributed=Count(
            "pk",
            filter=Q(
                review=Claim.Review.REVIEWED,
                attribution=Claim.Attribution.MISATTRIBUTED,
            ),
        ),
        false=Count(
            "pk", filter=Q(review=Claim.Review.REVIEWED, veracity=Claim.Veracity.FALSE)
        ),
    )
    reasons = []
    if counts["waiting"]:
        reasons.append(f"{counts['waiting']} claim(s) await review")
    if counts["misattributed"]:
        reasons.append(f"{counts['misattributed']} claim(s) are misattributed")
    if counts["false"]:
        reasons.append(f"{counts['false']} claim(s) are rated false")
    return reasons
