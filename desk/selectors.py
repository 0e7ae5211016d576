"""Reads for the desk pages. Each owns its joins; tests pin the query counts."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from articles.diff import revision_diff
from articles.exceptions import EditConflict
from articles.merge import split_paragraphs
from articles.models import Article
from articles.permissions import can_edit_article
from articles.rendering import paragraph_spans
from articles.selectors import merge_conflict_rows
from audit.selectors import article_timeline
from desk import workflow
from desk.models import Comment, ErrorReport
from factcheck.extraction import RegistryEntry
from factcheck.models import Claim, ClaimReview, Evidence, Source, SourceRole
from factcheck.selectors import (
    ClaimChange,
    blocker_reasons,
    claims_needing_correction,
    claims_proposal_key,
    source_registry,
)
from outbox.selectors import jobs_open


@dataclass(frozen=True)
class QueueFilters:
    article_id: int | None = None
    source_id: int | None = None
    kind: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    older_than_hours: int | None = None
    order: str = ""  # "" oldest first, or "doubtful" (lowest confidence first)


QUEUE_ORDERS = [("", "Oldest first"), ("doubtful", "Doubtful first")]
# Low-confidence proposals first, then medium, high, and claims a person wrote.
_DOUBT = Case(
    When(confidence=Claim.Confidence.LOW, then=Value(0)),
    When(confidence=Claim.Confidence.MEDIUM, then=Value(1)),
    When(confidence=Claim.Confidence.HIGH, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def review_queue(*, user, filters: QueueFilters, now: datetime.datetime | None = None):
    """Live claims awaiting review, filtered; oldest first, or the extractor's
    least confident proposals first."""
    now = now or timezone.now()
    claims = (
        Claim.objects.filter(review__in=Claim.AWAITING_REVIEW)
        .exclude(anchor=Claim.Anchor.DETACHED)
        .exclude(
            article__status__in=[Article.Status.RETRACTED, Article.Status.UNPUBLISHED]
        )
        .select_related("article", "speaker", "channel", "assignee")
        .order_by("created_at", "article_id", "start")
    )
    if filters.article_id:
        claims = claims.filter(article_id=filters.article_id)
    if filters.source_id:
        claims = claims.filter(
            Q(speaker_id=filters.source_id) | Q(channel_id=filters.source_id)
        )
    if filters.kind:
        claims = claims.filter(kind=filters.kind)
    if filters.assignee == "me":
        claims = claims.filter(assignee=user)
    elif filters.assignee == "none":
        claims = claims.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        claims = claims.filter(assignee_id=int(filters.assignee))
    if filters.older_than_hours:
        claims = claims.filter(
            created_at__lte=now - datetime.timedelta(hours=filters.older_than_hours)
        )
    if filters.order == "doubtful":
        claims = claims.order_by(_DOUBT, "created_at", "article_id", "start")
    return claims


def queue_counts(*, user, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return review_queue(user=user, filters=QueueFilters()).aggregate(
        waiting=Count("pk"),
        mine=Count("pk", filter=Q(assignee=user)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        reopened=Count("pk", filter=Q(review=Claim.Review.REOPENED)),
    )


# Stories someone on the desk still has to act on, newest change first.
IN_HAND = [
    Article.Status.DRAFT,
    Article.Status.SUBMITTED,
    Article.Status.APPROVED,
    Article.Status.SCHEDULED,
]


def stories_in_hand(*, limit: int = 50) -> list[Article]:
    """Stories before publication with how many of their claims await review,
    so an editor or publisher sees which are ready for them (one query)."""
    return list(
        Article.objects.filter(status__in=IN_HAND)
        .annotate(
            claims_waiting=Count(
                "claims",
                filter=Q(claims__review__in=Claim.AWAITING_REVIEW)
                & ~Q(claims__anchor=Claim.Anchor.DETACHED),
            )
        )
        .only("pk", "headline", "status", "updated_at")
        .order_by("-updated_at")[:limit]
    )


def evidence_pages_gone(*, limit: int = 50) -> list[Evidence]:
    """Evidence whose page the link check found gone, on claims still in their
    story, most recently found first: to mend, or replace with an archived copy."""
    return list(
        Evidence.objects.filter(link_status=Evidence.LinkStatus.BROKEN)
        .exclude(claim__anchor=Claim.Anchor.DETACHED)
        .select_related("claim__article")
        .order_by("-link_checked_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class HighlightedParagraph:
    before: str
    sentence: str
    after: str


def claim_in_paragraph(claim: Claim) -> HighlightedParagraph:
    """The claim's paragraph split around the claim, for highlighting."""
    body = claim.article.body
    spans = paragraph_spans(body)
    start, end = (
        spans[claim.paragraph]
        if claim.paragraph < len(spans)
        else (claim.start, claim.end)
    )
    start, end = min(start, claim.start), max(end, claim.end)
    return HighlightedParagraph(
        body[start : claim.start], body[claim.start : claim.end], body[claim.end : end]
    )


@dataclass(frozen=True)
class SourceRecord:
    source: Source
    role: SourceRole | None
    verdicts: dict[str, int]
    stories: int


def source_record(source: Source | None, *, on: datetime.date, exclude_article_id: int):
    """The source card: role on the story's date and its record in other stories."""
    if source is None:
        return None
    others = source.claims.filter(review=Claim.Review.REVIEWED).exclude(
        article_id=exclude_article_id
    )
    verdicts = dict(
        others.values_list("veracity")
        .annotate(n=Count("pk"))
        .values_list("veracity", "n")
    )
    return SourceRecord(
        source=source,
        role=SourceRole.objects.filter(source=source).held_on(on).first(),
        verdicts={Claim.Veracity(k).label: v for k, v in verdicts.items() if k},
        stories=others.values("article_id").distinct().count(),
    )


def next_claim_awaiting_review(claim: Claim) -> Claim | None:
    """The story's next claim that still needs a decision, wrapping round."""
    waiting = (
        Claim.objects.filter(
            article_id=claim.article_id, review__in=Claim.AWAITING_REVIEW
        )
        .exclude(anchor=Claim.Anchor.DETACHED)
        .exclude(pk=claim.pk)
        .order_by("start")
    )
    return waiting.filter(start__gt=claim.start).first() or waiting.first()


def claim_page(claim_id: int) -> Claim:
    return (
        Claim.objects.select_related(
            "article__section", "speaker", "channel", "assignee"
        )
        .prefetch_related(
            Prefetch(
                "reviews", queryset=ClaimReview.objects.select_related("reviewer")
            ),
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
        )
        .get(pk=claim_id)
    )


@dataclass(frozen=True)
class StoryReview:
    article: Article
    claims: list[Claim]
    blockers: list[str]
    transitions: list[workflow.Transition]  # what this user may do now
    unavailable: list[workflow.TransitionOption]  # what applies, and why not theirs
    timeline: list
    is_public: bool  # the story has a public page
    live_claims: int
    proposal_given_up: bool  # the background proposal failed: offer to run it again
    corrections_needed: list[ClaimChange]  # public claims readers see out of date
    overdue: bool  # scheduled, and its time has passed
    pictures_withheld: list[str]  # pictures whose usage rights ended


def proposal_given_up(article: Article) -> bool:
    """The story's claims are still to be proposed and the background run
    failed: offer to run it again."""
    return article.claims_pending and any(
        job.failed_at for job in jobs_open(claims_proposal_key(article.pk))
    )


def story_review(*, article_id: int, user) -> StoryReview:
    article = Article.objects.select_related("section", "created_by").get(pk=article_id)
    claims = list(
        Claim.objects.filter(article=article)
        .select_related("speaker", "channel", "assignee")
        .order_by("start", "pk")
    )
    gate = workflow.story_gate(article)
    options = workflow.transition_options(user, article, gate)
    is_public = article.status in Article.PUBLIC_STATUSES
    return StoryReview(
        article=article,
        claims=claims,
        blockers=blocker_reasons(gate.blockers),
        pictures_withheld=list(gate.pictures_withheld),
        transitions=[option.transition for option in options if not option.reason],
        unavailable=[option for option in options if option.reason],
        timeline=list(article_timeline(article.pk)),
        is_public=is_public,
        live_claims=sum(1 for claim in claims if claim.is_live),
        proposal_given_up=proposal_given_up(article),
        corrections_needed=claims_needing_correction(article_id=article.pk)
        if is_public
        else [],
        overdue=article.status == Article.Status.SCHEDULED
        and article.publish_at is not None
        and article.publish_at < timezone.now(),
    )


def corrections_to_make() -> list[tuple[Article, list[ClaimChange]]]:
    """Public stories with claims readers see out of date, most recent change
    first, each with its changes (two queries)."""
    by_story: dict[int, tuple[Article, list[ClaimChange]]] = {}
    for change in claims_needing_correction():
        article = change.claim.article
        by_story.setdefault(article.pk, (article, []))[1].append(change)
    return list(by_story.values())


def overdue_scheduled_stories(*, now: datetime.datetime | None = None) -> list[Article]:
    """Scheduled stories whose time has passed: the sweep could not publish them
    (blocked, or no scheduler running)."""
    now = now or timezone.now()
    return list(
        Article.objects.filter(status=Article.Status.SCHEDULED, publish_at__lt=now)
        .select_related("section")
        .order_by("publish_at")
    )


@dataclass(frozen=True)
class UnconfirmedSource:
    source: Source
    claims: int
    duplicates: list[RegistryEntry]  # likely the same party; ``key`` is the pk


def unconfirmed_sources(*, limit: int = 200) -> list[UnconfirmedSource]:
    """Sources the extractor proposed, newest first, each with the registry's
    likely duplicates (other spellings, surname alone, title and surname), by
    the same matching that runs before a source is proposed. Two queries."""
    registry = source_registry()
    sources = (
        Source.objects.filter(confirmed=False)
        .annotate(claim_count=Count("claims"))
        .order_by("-created_at", "-pk")[:limit]
    )
    found = []
    for source in sources:
        duplicates: dict[str, RegistryEntry] = {}
        for name in (source.name, *source.alias_list):
            for entry in registry.likely_matches(name):
                if entry.key != str(source.pk):
                    duplicates.setdefault(entry.key, entry)
        found.append(
            UnconfirmedSource(source, source.claim_count, list(duplicates.values()))
        )
    return found


def error_reports(*, status: str, limit: int = 200) -> list[ErrorReport]:
    """Readers' reports with ``status``, newest first, with their story, claim
    and handler (one query)."""
    return list(
        ErrorReport.objects.filter(status=status)
        .select_related("article__section", "claim", "handled_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def edit_conflict_page(conflict: EditConflict, kept) -> dict:
    """What a conflict page shows: both versions, the overlapping changes to
    choose between, and the person's own text (``kept``, the POST) to post
    again: from the same base when there are choices, so the merge is redone
    with them; else (base unknown) from the current revision, merged by hand."""
    kept = kept.copy()
    if conflict.merge is None:
        kept["base_revision"] = str(conflict.current.pk)
    return {
        "conflict": conflict,
        "kept": kept,
        "conflict_rows": merge_conflict_rows(conflict.merge) if conflict.merge else [],
        "their_changes": [
            d for d in revision_diff(conflict.base, conflict.current) if d.changed
        ]
        if conflict.base
        else [],
    }


@dataclass(frozen=True)
class Thread:
    comment: Comment
    replies: list
    may_settle: bool


def comment_panel(*, user, article: Article, claim: Claim | None = None) -> dict:
    """What a page's comment panel shows: the threads (of one claim, or of
    the story) and the paragraphs a new thread may open on."""
    return {
        "article": article,
        "claim": claim,
        "threads": comment_threads(user=user, article=article, claim=claim),
        "paragraphs": []
        if claim is not None
        else list(enumerate(split_paragraphs(article.body), 1)),
    }


def comment_threads(
    *, user, article: Article, claim: Claim | None = None
) -> list[Thread]:
    """The story's threads (or one claim's), oldest first, for a staff page:
    two queries whatever their number (and the edit right)."""
    threads = (
        Comment.objects.filter(article=article, parent=None)
        .select_related("author", "resolved_by", "claim")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.select_related("author").order_by(
                    "created_at", "pk"
                ),
            )
        )
    )
    if claim is not None:
        threads = threads.filter(claim=claim)
    may_edit = can_edit_article(user, article)
    return [
        Thread(
            comment=thread,
            replies=list(thread.replies.all()),
            may_settle=may_edit or thread.author_id == user.pk,
        )
        for thread in threads
    ]
