"""Reads for the API. Public reads start from ``reader.selectors`` (what readers
may see); the staff reads from the desk's and the articles' own selectors."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from api.pagination import decode_cursor, encode_cursor
from articles.models import Article, Section, Tag
from desk import selectors as desk_selectors
from desk.models import Correction
from factcheck.models import Claim
from reader import selectors as reader_selectors


@dataclass(frozen=True)
class Page:
    items: list
    cursor: str | None  # of the next page


def _page(rows: list, limit: int, key) -> Page:
    """``rows`` holds up to ``limit + 1`` rows: one more means a next page."""
    items = rows[:limit]
    more = len(rows) > limit
    return Page(items, encode_cursor(*key(items[-1])) if more else None)


@dataclass(frozen=True)
class StoryFilters:
    section: str = ""
    tag: str = ""
    source: int | None = None
    updated_since: datetime.datetime | None = None


def _stories_by_source(source_id: int):
    claims = reader_selectors.published_claims().filter(
        Q(speaker_id=source_id) | Q(channel_id=source_id)
    )
    return claims.values("article_id")


def _sorted_stories():
    """Public stories newest first, keyed for cursors (published, else created)."""
    return (
        reader_selectors.story_list()
        .annotate(sort_time=Coalesce("published_at", "created_at"))
        .order_by(F("sort_time").desc(), F("pk").desc())
    )


def _after(rows, cursor: str | None, field: str, *, descending: bool):
    """The rows after the cursor's (``field``, pk) key, in that order."""
    if not cursor:
        return rows
    moment, pk = decode_cursor(cursor, datetime.datetime, int)
    beyond = "lt" if descending else "gt"
    return rows.filter(
        Q(**{f"{field}__{beyond}": moment}) | Q(**{field: moment, f"pk__{beyond}": pk})
    )


def story_page(*, filters: StoryFilters, cursor: str | None, limit: int) -> Page:
    """A page of public stories, filtered (two queries). Raises ``BadCursor``."""
    stories = _sorted_stories()
    if filters.section:
        stories = stories.filter(section__slug=filters.section)
    if filters.tag:
        stories = stories.filter(tags__slug=filters.tag)
    if filters.source is not None:
        if not reader_selectors.public_sources().filter(pk=filters.source).exists():
            return Page([], None)
        stories = stories.filter(pk__in=_stories_by_source(filters.source))
    if filters.updated_since is not None:
        stories = stories.filter(updated_at__gte=filters.updated_since)
    rows = list(_after(stories, cursor, "sort_time", descending=True)[: limit + 1])
    return _page(rows, limit, lambda story: (story.sort_time, story.pk))


def story_ids_page(*, cursor: str | None, limit: int) -> Page:
    """Ids of public stories, newest first: the ClaimReview feed's pages."""
    stories = _after(_sorted_stories(), cursor, "sort_time", descending=True)
    stories = stories.values("pk", "sort_time")
    rows = list(stories[: limit + 1])
    return _page(rows, limit, lambda row: (row["sort_time"], row["pk"]))


def public_sections() -> list[Section]:
    """Sections holding public stories, in navigation order."""
    return list(reader_selectors.public_sections())


def public_tags() -> list[Tag]:
    """Tags of public stories, by name."""
    return list(reader_selectors.public_tags())


def source_page(*, cursor: str | None, limit: int) -> Page:
    """Sources with a public page (``reader.selectors.public_sources``), by id."""
    sources = reader_selectors.public_sources().order_by("pk")
    if cursor:
        (after,) = decode_cursor(cursor, int)
        sources = sources.filter(pk__gt=after)
    rows = list(sources[: limit + 1])
    return _page(rows, limit, lambda source: (source.pk,))


def source_detail(source_id: int):
    """A source's public record (``reader.selectors.source_page``), or 404."""
    return reader_selectors.source_page(pk=source_id)


def correction_page(*, cursor: str | None, limit: int) -> Page:
    """Corrections and retractions of public stories, newest first."""
    corrections = (
        Correction.objects.filter(article__status__in=Article.PUBLIC_STATUSES)
        .select_related("article__section")
        .order_by("-created_at", "-pk")
    )
    corrections = _after(corrections, cursor, "created_at", descending=True)
    rows = list(corrections[: limit + 1])
    return _page(rows, limit, lambda row: (row.created_at, row.pk))


# ---------------------------------------------------------------- staff


def staff_story(story_id: int) -> Article:
    """Any story with its current revision, for token holders; 404 if none."""
    return get_object_or_404(
        Article.objects.select_related(
            "section", "current_revision__saved_by", "current_revision__section"
        ),
        pk=story_id,
    )


def staff_claims(article: Article) -> list[Claim]:
    return list(
        Claim.objects.filter(article=article)
        .exclude(anchor=Claim.Anchor.DETACHED)
        .select_related("speaker", "channel", "assignee")
        .order_by("start", "pk")
    )


def queue_page(
    *, user, filters: desk_selectors.QueueFilters, cursor: str | None, limit: int
) -> Page:
    """The desk's review queue (``desk.selectors.review_queue``), oldest first."""
    claims = desk_selectors.review_queue(user=user, filters=filters).order_by(
        "created_at", "pk"
    )
    claims = _after(claims, cursor, "created_at", descending=False)
    rows = list(claims[: limit + 1])
    return _page(rows, limit, lambda claim: (claim.created_at, claim.pk))
