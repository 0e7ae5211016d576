"""Reads for the public site: only what readers may see.

Nothing here returns drafts, unreviewed claims, internal notes, private
evidence or the names of protected sources. Each page's queries are fixed in
number, whatever the number of stories or claims (tests pin them).
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.models import Article, Byline, Section, Tag
from articles.rendering import picture_references
from desk.models import Correction
from factcheck.models import Claim, Evidence, PublishedClaim, Source, SourceRole
from pictures.models import Picture
from pictures.selectors import pictures_with_renditions, renditions_prefetch
from reader.models import PublicEdition, StoryRender

PAGE_SIZE = 20
NEWEST_FIRST = (F("published_at").desc(nulls_last=True), F("pk").desc())


def public_articles():
    """Stories readers may see. The search document stays in the database: only
    search uses it, and there in SQL."""
    return (
        Article.objects.filter(status__in=Article.PUBLIC_STATUSES)
        .select_related("section")
        .defer("search_document")
    )


def story_list():
    """Public stories for lists, newest first: lists show no body, so none is
    loaded; lead pictures come with their renditions (one query more)."""
    return (
        public_articles()
        .defer("body")
        .select_related("lead_image")
        .prefetch_related(renditions_prefetch("lead_image__renditions", "list"))
        .order_by(*NEWEST_FIRST)
    )


@dataclass(frozen=True)
class HomePage:
    top: list[Article]
    by_section: list[tuple[Section, list[Article]]]

    @property
    def lead(self) -> Article | None:
        """The top story: the newest on the front page."""
        return self.top[0] if self.top else None

    @property
    def more_top(self) -> list[Article]:
        return self.top[1:]


def page_lead(stories: Page) -> tuple[Article | None, list[Article]]:
    """A list page's top story (the newest, on its first page only) and the rest."""
    shown = list(stories.object_list)
    if stories.number == 1 and shown:
        return shown[0], shown[1:]
    return None, shown


def home_page(*, per_section: int = 4) -> HomePage:
    """The five latest stories, then the latest few of every section (two
    queries). A retracted story is not news: it stays in lists, labelled, but
    leaves the front page."""
    stories = story_list().exclude(status=Article.Status.RETRACTED)
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


def with_public_stories(model, relation: str):
    """Sections or tags (``relation``: the story's field naming them) that
    hold public stories: the others' names may belong to unpublished work."""
    public = public_articles().filter(**{relation: OuterRef("pk")})
    return model.objects.filter(Exists(public))


def public_sections():
    return with_public_stories(Section, "section")


def public_tags():
    return with_public_stories(Tag, "tags")


def section_page(*, slug: str, page: str | int | None) -> tuple[Section, Page]:
    section = get_object_or_404(public_sections(), slug=slug)
    stories = story_list().filter(section=section)
    return section, Paginator(stories, PAGE_SIZE).get_page(page)


def tag_page(*, slug: str, page: str | int | None) -> tuple[Tag, Page]:
    tag = get_object_or_404(public_tags(), slug=slug)
    stories = story_list().filter(tags=tag)
    return tag, Paginator(stories, PAGE_SIZE).get_page(page)


def published_claims():
    """Claims as readers see them: the version a publication or a correction
    put before them (``factcheck.PublishedClaim``), never a later change."""
    return PublishedClaim.objects.filter(
        article__status__in=Article.PUBLIC_STATUSES
    ).exclude(article__status=Article.Status.RETRACTED)


def checked_claims():
    """Claims as a publication now would show them (previews): live, reviewed."""
    return Claim.objects.filter(review=Claim.Review.REVIEWED).exclude(
        anchor=Claim.Anchor.DETACHED
    )


@dataclass(frozen=True, slots=True)
class PublicSource:
    """What readers may know of a source: never the name of a protected one."""

    name: str
    kind: str
    kind_label: str
    role: str  # the title held on the story's date, or ""
    reader_note: str
    url: str  # "" for a source without a public page (protected, unconfirmed)
    protected: bool


@dataclass(frozen=True, slots=True)
class PublicEvidence:
    title: str
    url: str
    original_language: str
    original_text: str
    translation: str
    link_broken: bool  # the link check found the page gone


@dataclass(frozen=True, slots=True)
class PublicClaim:
    """A checked claim as the article page shows it, and nothing else."""

    number: int
    end: int  # where its marker goes in the body
    text: str
    kind: str
    kind_label: str
    speaker: PublicSource | None
    channel: PublicSource | None
    attribution: str
    attribution_label: str
    veracity: str
    veracity_label: str
    explanation: str
    reviewed_at: datetime.datetime | None
    evidence: list[PublicEvidence]
    corrected_at: datetime.datetime | None  # the last correction that named it

    @property
    def reader_note(self) -> str:
        """The standing note of whoever the words came through (KCNA for Kim)."""
        source = self.channel or self.speaker
        return source.reader_note if source else ""

    @property
    def state_media(self) -> bool:
        """Whether the words reached us through state media (labelled in the text)."""
        return self.kind == Claim.Kind.STATE_MEDIA or any(
            source.kind == Source.Kind.STATE_MEDIA
            for source in (self.speaker, self.channel)
            if source
        )

    @property
    def attribution_doubted(self) -> bool:
        """An attributed claim whose source was not found saying it: worth a badge."""
        return bool(self.speaker) and self.attribution != Claim.Attribution.CONFIRMED


@dataclass(frozen=True)
class SourceGroup:
    """The claims that came through one source ("How we know this" groups)."""

    source: PublicSource | None  # None: the newsroom's own reporting
    claims: list[PublicClaim]


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    bylines: list[str]  # the names credited, in order
    tags: list[dict]  # name and slug
    claims: list[PublicClaim]  # none for a retracted story: its ratings are withdrawn
    corrections: list[Correction]
    retraction: Correction | None
    # The lead picture and those in the body, by id, with their renditions.
    pictures: dict[int, Picture]

    @property
    def updated_at(self) -> datetime.datetime | None:
        """When readers last saw the story change after its first publication:
        a correction, a retraction or a publication again; None if never."""
        article = self.article
        changes = [c.created_at for c in self.corrections]
        if self.retraction:
            changes.append(self.retraction.created_at)
        if article.published_at and article.published_at != article.first_published_at:
            changes.append(article.published_at)
        return max(changes, default=None)

    @property
    def source_groups(self) -> list[SourceGroup]:
        """Claims grouped by the source the words came through (KCNA for Kim),
        in the order the story first cites them; the newsroom's own last."""
        groups: dict[PublicSource | None, list[PublicClaim]] = {}
        for claim in self.claims:
            groups.setdefault(claim.channel or claim.speaker, []).append(claim)
        own = groups.pop(None, None)
        shown = [SourceGroup(source, claims) for source, claims in groups.items()]
        return shown + ([SourceGroup(None, own)] if own else [])

    @property
    def claims_summary(self) -> str:
        """One line over "How we know this": "26 claims from 9 sources, all
        checked: 19 accurate, 4 unverifiable state-media reports, …"."""
        return summarise_claims(self.claims)


def _counted(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def summarise_claims(claims: list[PublicClaim]) -> str:
    """The counts readers scan first: claims, sources, verdicts (see
    ``ArticlePage.claims_summary``). Every claim a page shows was checked."""
    if not claims:
        return ""
    sources = len(
        {source for claim in claims for source in (claim.speaker, claim.channel)}
        - {None}
    )
    origin = _counted(sources, "source", "sources") if sources else ""
    if any(claim.speaker is None for claim in claims):
        origin = f"{origin} and our own reporting" if origin else "our own reporting"
    checked = "checked" if len(claims) == 1 else "all checked"
    verdicts = []
    for veracity in Claim.Veracity:
        rated = [claim for claim in claims if claim.veracity == veracity]
        if not rated:
            continue
        phrase = f"{len(rated)} {veracity.label.lower()}"
        if veracity == Claim.Veracity.UNVERIFIABLE and all(
            claim.state_media for claim in rated
        ):
            phrase += " state-media report" + ("" if len(rated) == 1 else "s")
        verdicts.append(phrase)
    doubted = sum(1 for claim in claims if claim.attribution_doubted)
    if doubted:
        verdicts.append(f"{doubted} not confirmed as said")
    count = _counted(len(claims), "claim", "claims")
    return f"{count} from {origin}, {checked}: {', '.join(verdicts)}."


def public_article(*, section: str, day: datetime.date, slug: str) -> Article:
    """The public story at this address, or 404, with the public edition now
    standing (``public_edition``), read before anything built from the story."""
    edition = PublicEdition.objects.filter(pk=1).values("number")
    stories = public_articles().annotate(public_edition=Coalesce(Subquery(edition), 0))
    return get_object_or_404(stories, section__slug=section, story_date=day, slug=slug)


_PUBLIC_STATUS_PARAMS = ", ".join(["%s"] * len(Article.PUBLIC_STATUSES))
# The one query of an article page served from its stored render, written out
# once: compiling it through the ORM on every request cost as much as running
# it. The address as in ``public_article``; the render as ``reader.renders``
# requires: of the standing edition, this renderer, built after the cut-off.
_CURRENT_RENDER_SQL = f"""
SELECT story.headline, render.head_html, render.story_html
FROM {StoryRender._meta.db_table} render
JOIN {Article._meta.db_table} story ON story.id = render.article_id
JOIN {Section._meta.db_table} section ON section.id = story.section_id
WHERE section.slug = %s AND story.story_date = %s AND story.slug = %s
  AND story.status IN ({_PUBLIC_STATUS_PARAMS})
  AND render.renderer = %s AND render.built_at > %s
  AND render.edition = COALESCE(
    (SELECT number FROM {PublicEdition._meta.db_table} WHERE id = 1), 0
  )
"""


def current_story_render(
    *,
    section: str,
    day: datetime.date,
    slug: str,
    renderer: str,
    built_after: datetime.datetime,
) -> tuple[str, str, str] | None:
    """Headline, head and story HTML of the public story at this address, if
    its stored render is current (see ``reader.renders``); else None."""
    operations = connection.ops
    params = [
        section,
        operations.adapt_datefield_value(day),
        slug,
        *Article.PUBLIC_STATUSES,
        renderer,
        operations.adapt_datetimefield_value(built_after),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_CURRENT_RENDER_SQL, params)
        return cursor.fetchone()


_SOURCE_FIELDS = (
    "id",
    "name",
    "kind",
    "protected",
    "confirmed",
    "description",
    "reader_note",
)
_CLAIM_FIELDS = (
    "pk",
    "end",
    "text",
    "kind",
    "speaker_text",
    "attribution",
    "veracity",
    "public_explanation",
    "reviewed_at",
    *(
        f"{role}__{field}"
        for role in ("speaker", "channel")
        for field in _SOURCE_FIELDS
    ),
)


def _claim_rows(article: Article, *, preview: bool) -> tuple[list[dict], Q]:
    """The claims the page shows, as rows, and which evidence goes with them."""
    if preview:
        claims = checked_claims().filter(article=article)
        rows = list(claims.order_by("start").values(*_CLAIM_FIELDS))
        return rows, Q(claim__in=[row["pk"] for row in rows])
    if article.status == Article.Status.RETRACTED:
        return [], Q(pk__in=[])
    claims = PublishedClaim.objects.filter(article=article).order_by("start")
    rows = list(claims.values(*_CLAIM_FIELDS, "evidence_ids"))
    return rows, Q(pk__in=[pk for row in rows for pk in row["evidence_ids"]])


def article_page_for(article: Article, *, preview: bool = False) -> ArticlePage:
    """Everything a reader sees of ``article``, in seven queries whatever its
    size, and two more when it has pictures, however many.

    A public story shows its claims as published (``published_claims``); a
    preview shows them as a publication now would. A retracted story shows
    none: its ratings are withdrawn. Claims come back as ``PublicClaim``
    values built from plain rows: only what readers may see is ever loaded,
    and this hottest page skips the cost of model instances and the prefetch
    machinery.
    """
    rows, evidence_shown = _claim_rows(article, preview=preview)
    source_ids = {row[f"{role}__id"] for row in rows for role in ("speaker", "channel")}
    titles: dict[int, str] = {}
    held = SourceRole.objects.filter(source_id__in=source_ids - {None})
    for source_id, title in held.held_on(article.story_date).values_list(
        "source_id", "title"
    ):
        titles.setdefault(source_id, title)  # the latest-starting role, by ordering
    evidence: dict[int, list[PublicEvidence]] = {}
    for claim_id, *fields in (
        Evidence.objects.filter(evidence_shown, public=True)
        .order_by("pk")
        .values_list(
            "claim_id",
            "title",
            "url",
            "original_language",
            "original_text",
            "translation",
            "link_status",
        )
    ):
        *shown, link_status = fields
        evidence.setdefault(claim_id, []).append(
            PublicEvidence(
                *shown, link_broken=link_status == Evidence.LinkStatus.BROKEN
            )
        )
    sources: dict[int, PublicSource] = {}

    def source(row: dict, role: str) -> PublicSource | None:
        pk = row[f"{role}__id"]
        if pk is None:
            return None
        if not row[f"{role}__confirmed"]:
            # Proposed by the extractor and not confirmed by an editor: no
            # registry entry to show, only the words the story used.
            return _unconfirmed_source(row["speaker_text"] if role == "speaker" else "")
        if pk not in sources:
            sources[pk] = _public_source(row, role, titles.get(pk, ""))
        return sources[pk]

    corrections = list(Correction.objects.filter(article=article))
    corrected: dict[int, datetime.datetime] = {}
    for claim_id, created_at in Correction.claims.through.objects.filter(
        correction__article=article, correction__kind=Correction.Kind.CORRECTION
    ).values_list("claim_id", "correction__created_at"):
        corrected[claim_id] = max(created_at, corrected.get(claim_id, created_at))

    claims = [
        PublicClaim(
            number=number,
            end=row["end"],
            text=row["text"],
            kind=row["kind"],
            kind_label=Claim.Kind(row["kind"]).label,
            speaker=source(row, "speaker"),
            channel=source(row, "channel"),
            attribution=row["attribution"],
            attribution_label=_label(Claim.Attribution, row["attribution"]),
            veracity=row["veracity"],
            veracity_label=_label(Claim.Veracity, row["veracity"]),
            explanation=row["public_explanation"],
            reviewed_at=row["reviewed_at"],
            evidence=evidence.get(row["pk"], []),
            corrected_at=corrected.get(row["pk"]),
        )
        for number, row in enumerate(rows, start=1)
    ]
    bylines = Byline.objects.filter(article=article).order_by("position")
    return ArticlePage(
        article=article,
        bylines=[
            " ".join(filter(None, (first, last))) or username
            for first, last, username in bylines.values_list(
                "user__first_name", "user__last_name", "user__username"
            )
        ],
        tags=list(article.tags.values("name", "slug")),
        claims=claims,
        corrections=[c for c in corrections if c.kind == Correction.Kind.CORRECTION],
        retraction=next(
            (c for c in corrections if c.kind == Correction.Kind.RETRACTION), None
        ),
        pictures=_story_pictures(article),
    )


def _story_pictures(article: Article) -> dict[int, Picture]:
    """The story's pictures (lead and body) with their renditions, in two
    queries whatever their number; ``article.lead_image`` is set from them."""
    ids = {reference.picture_id for reference in picture_references(article.body)}
    if article.lead_image_id:
        ids.add(article.lead_image_id)
    if not ids:
        return {}
    pictures = pictures_with_renditions(ids)
    if article.lead_image_id in pictures:
        article.lead_image = pictures[article.lead_image_id]
    return pictures


def _label(choices, value: str) -> str:
    return choices(value).label if value else ""


def _unconfirmed_source(as_written: str) -> PublicSource | None:
    if not as_written:
        return None
    return PublicSource(
        name=as_written,
        kind="",
        kind_label="",
        role="",
        reader_note="",
        url="",
        protected=False,
    )


def _public_source(row: dict, role: str, title: str) -> PublicSource:
    protected = row[f"{role}__protected"]
    return PublicSource(
        name=Source.name_for_readers(
            row[f"{role}__name"], row[f"{role}__description"], protected
        ),
        kind=row[f"{role}__kind"],
        kind_label=Source.Kind(row[f"{role}__kind"]).label,
        role="" if protected else title,
        reader_note=row[f"{role}__reader_note"],
        url=""
        if protected
        else reverse("reader:source", kwargs={"pk": row[f"{role}__id"]}),
        protected=protected,
    )


def public_sources():
    """Sources with a public page: confirmed, not protected, and quoted in a
    public story. A protected source has no page (one page of all its
    statements would help unmask it, whatever name it is shown under), and one
    heard only in unpublished work would tell whom the newsroom talks to."""
    claims = published_claims()
    return Source.objects.filter(
        Exists(claims.filter(speaker=OuterRef("pk")))
        | Exists(claims.filter(channel=OuterRef("pk"))),
        confirmed=True,
        protected=False,
    )


def source_page(*, pk: int) -> tuple[Source, list[PublishedClaim]]:
    """A source's public record: its claims as readers see them in public stories."""
    source = get_object_or_404(public_sources().prefetch_related("roles"), pk=pk)
    claims = list(
        published_claims()
        .filter(Q(speaker=source) | Q(channel=source))
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
