"""Reads for the public site: only what readers may see.

Nothing here returns drafts, unreviewed claims, internal notes, private
evidence or the names of protected sources. Each page's queries are fixed in
number, whatever the number of stories or claims (tests pin them).
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from articles.models import Article, Byline, Section, Tag
from desk.models import Correction
from factcheck.models import Claim, Evidence, Source

PAGE_SIZE = 20


def public_articles():
    return Article.objects.filter(status__in=Article.PUBLIC_STATUSES).select_related(
        "section"
    )


def _with_bylines(articles):
    return articles.prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("user"))
    )


@dataclass(frozen=True)
class HomePage:
    top: list[Article]
    by_section: list[tuple[Section, list[Article]]]


def home_page(*, per_section: int = 4) -> HomePage:
    """The five latest stories, then the latest of each section (three queries)."""
    latest = list(
        _with_bylines(public_articles().order_by("-published_at", "-pk"))[:200]
    )
    sections = list(Section.objects.all())
    by_section = []
    for section in sections:
        stories = [a for a in latest[5:] if a.section_id == section.pk][:per_section]
        if stories:
            by_section.append((section, stories))
    return HomePage(top=latest[:5], by_section=by_section)


def section_page(*, slug: str, page: str | int | None) -> tuple[Section, Page]:
    section = get_object_or_404(Section, slug=slug)
    stories = _with_bylines(
        public_articles().filter(section=section).order_by("-published_at", "-pk")
    )
    return section, Paginator(stories, PAGE_SIZE).get_page(page)


def tag_page(*, slug: str, page: str | int | None) -> tuple[Tag, Page]:
    tag = get_object_or_404(Tag, slug=slug)
    stories = _with_bylines(
        public_articles().filter(tags=tag).order_by("-published_at", "-pk")
    )
    return tag, Paginator(stories, PAGE_SIZE).get_page(page)


def public_claims():
    """Claims readers see: still in the story, reviewed (not pending or reopened)."""
    return Claim.objects.filter(review=Claim.Review.REVIEWED).exclude(
        anchor=Claim.Anchor.DETACHED
    )


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    claims: list[Claim]
    corrections: list[Correction]
    retraction: Correction | None


def article_page(
    *, section: str, year: int, month: int, day: int, slug: str
) -> ArticlePage:
    """The public story at this address with its checked claims, or 404."""
    article = get_object_or_404(
        _with_bylines(public_articles()).prefetch_related(
            "tags",
            Prefetch(
                "claims",
                to_attr="public_claims",
                queryset=public_claims()
                .select_related("speaker", "channel")
                .order_by("start"),
            ),
            "public_claims__speaker__roles",
            "public_claims__channel__roles",
            Prefetch(
                "public_claims__evidence",
                to_attr="public_evidence",
                queryset=Evidence.objects.filter(public=True),
            ),
            Prefetch(
                "corrections",
                to_attr="all_corrections",
                queryset=Correction.objects.prefetch_related(
                    Prefetch(
                        "claims", queryset=Claim.objects.only("pk", "start", "article")
                    )
                ),
            ),
        ),
        section__slug=section,
        story_date__year=year,
        story_date__month=month,
        story_date__day=day,
        slug=slug,
    )
    corrections = [
        c for c in article.all_corrections if c.kind == Correction.Kind.CORRECTION
    ]
    retraction = next(
        (c for c in article.all_corrections if c.kind == Correction.Kind.RETRACTION),
        None,
    )
    return ArticlePage(
        article=article,
        claims=article.public_claims,
        corrections=corrections,
        retraction=retraction,
    )


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
