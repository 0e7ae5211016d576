"""Reads for the public site: only what readers may see.

Nothing here returns drafts, unreviewed claims, internal notes, private
evidence or the names of protected sources. Each page's queries are fixed in
number, whatever the number of stories or claims (tests pin them).
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from articles.models import Article, Byline, Section, Tag
from desk.models import Correction
from factcheck.models import Claim, Evidence, Source, SourceRole

PAGE_SIZE = 20
NEWEST_FIRST = (F("published_at").desc(nulls_last=True), F("pk").desc())


def public_articles():
    return Article.objects.filter(status__in=Article.PUBLIC_STATUSES).select_related(
        "section"
    )


def story_list():
    """Public stories for lists, newest first: lists show no body, so none is loaded."""
    return public_articles().defer("body").order_by(*NEWEST_FIRST)


@dataclass(frozen=True)
class HomePage:
    top: list[Article]
    by_section: list[tuple[Section, list[Article]]]


def home_page(*, per_section: int = 4) -> HomePage:
    """The five latest stories, then the latest few of every section (two queries)."""
    stories = story_list()
    top = list(stories[:5])
    ranked = (
        stories.exclude(pk__in=[story.pk for story in top])
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("section_id"),
                order_by=NEWEST_FIRST,
            )
        )
        .filter(place__lte=per_section)
        .order_by("section__position", "section__name", "place")
    )
    by_section: dict[int, tuple[Section, list[Article]]] = {}
    for story in ranked:
        by_section.setdefault(story.section_id, (story.section, []))[1].append(story)
    return HomePage(top=top, by_section=list(by_section.values()))


def section_page(*, slug: str, page: str | int | None) -> tuple[Section, Page]:
    section = get_object_or_404(Section, slug=slug)
    stories = story_list().filter(section=section)
    return section, Paginator(stories, PAGE_SIZE).get_page(page)


def tag_page(*, slug: str, page: str | int | None) -> tuple[Tag, Page]:
    tag = get_object_or_404(Tag, slug=slug)
    stories = story_list().filter(tags=tag)
    return tag, Paginator(stories, PAGE_SIZE).get_page(page)


def public_claims():
    """Claims readers see: still in the story, reviewed (not pending or reopened)."""
    return Claim.objects.filter(review=Claim.Review.REVIEWED).exclude(
        anchor=Claim.Anchor.DETACHED
    )


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    bylines: list[Byline]
    tags: list[Tag]
    claims: list[Claim]  # each with public_evidence, speaker_role and channel_role
    corrections: list[Correction]
    retraction: Correction | None


def article_page(*, section: str, day: datetime.date, slug: str) -> ArticlePage:
    """The public story at this address with its checked claims, or 404."""
    article = get_object_or_404(
        public_articles(), section__slug=section, story_date=day, slug=slug
    )
    return article_page_for(article)


# What the page shows of a claim and its sources; loading no more keeps this
# hottest query cheap (timestamps and long internal texts cost the most to load).
_SOURCE_FIELDS = ("name", "kind", "protected", "description", "reader_note")
_PUBLIC_CLAIM_FIELDS = (
    "article_id",
    "start",
    "end",
    "text",
    "kind",
    "attribution",
    "veracity",
    "public_explanation",
    "reviewed_at",
    "speaker_id",
    "channel_id",
    *(
        f"{source}__{field}"
        for source in ("speaker", "channel")
        for field in _SOURCE_FIELDS
    ),
)


def article_page_for(article: Article) -> ArticlePage:
    """Everything a reader sees of ``article``, in seven queries whatever its size.

    The queries are written out rather than prefetched: this is the hottest page
    of the site, and plain lookups cost half of what the prefetch machinery does.
    """
    claims = list(
        public_claims()
        .filter(article=article)
        .select_related("speaker", "channel")
        .only(*_PUBLIC_CLAIM_FIELDS)
        .order_by("start")
    )
    sources = {c.speaker_id for c in claims} | {c.channel_id for c in claims}
    roles: dict[int, list[SourceRole]] = {}
    for role in SourceRole.objects.filter(source_id__in=sources - {None}):
        roles.setdefault(role.source_id, []).append(role)
    evidence: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.filter(claim__in=claims, public=True).order_by("pk"):
        evidence.setdefault(item.claim_id, []).append(item)
    for claim in claims:
        claim.public_evidence = evidence.get(claim.pk, [])
        claim.speaker_role = _role_on(
            roles.get(claim.speaker_id, []), article.story_date
        )
        claim.channel_role = _role_on(
            roles.get(claim.channel_id, []), article.story_date
        )
    corrections = list(Correction.objects.filter(article=article))
    return ArticlePage(
        article=article,
        bylines=list(Byline.objects.filter(article=article).select_related("user")),
        tags=list(article.tags.all()),
        claims=claims,
        corrections=[c for c in corrections if c.kind == Correction.Kind.CORRECTION],
        retraction=next(
            (c for c in corrections if c.kind == Correction.Kind.RETRACTION), None
        ),
    )


def _role_on(roles: list[SourceRole], day: datetime.date) -> SourceRole | None:
    """The title held on the story's date; never one the source only held later."""
    return next((role for role in roles if role.held_on(day)), None)


def source_page(*, pk: int) -> tuple[Source, list[Claim]]:
    """A source's public record: its reviewed claims in public stories."""
    source = get_object_or_404(
        Source.objects.prefetch_related("roles"), pk=pk, confirmed=True
    )
    claims = list(
        public_claims()
        .filter(
            Q(speaker=source) | Q(channel=source),
            article__status__in=Article.PUBLIC_STATUSES,
        )
        .select_related("article__section", "speaker", "channel")
        .order_by("-article__published_at", "start")[:200]
    )
    return source, claims


def corrections_log(*, page: str | int | None) -> Page:
    corrections = (
        Correction.objects.filter(article__status__in=Article.PUBLIC_STATUSES)
        .select_related("article__section")
        .order_by("-created_at", "-pk")
    )
    return Paginator(corrections, PAGE_SIZE).get_page(page)
