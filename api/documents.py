"""A public story's API documents, built from the reader's public read model and
stored like the article page's render.

Everything public here comes from ``reader.selectors.article_page_for``, the
model the article page is built from, so the API shows what the page shows.
Three documents are built from it at once: the story (``api.schemas.Story``),
its ninjs (``api.ninjs``) and its ClaimReviews (the ones in the page's
JSON-LD). They are stored (``StoryDocument``) and served in one query under
the rules of ``reader.renders``: only while the public edition they were
built from stands (every public change moves it on), by the same code and
settings, and younger than ``STORY_RENDER_MAX_AGE``; else rebuilt.
"""

import datetime
import functools
import hashlib
import inspect
import json
import sys
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.html import format_html

from api import ninjs, schemas
from api.models import PublicClock, StoryDocument
from articles import rendering
from articles.models import Article
from reader import renders, selectors, structured_data
from reader.models import PublicEdition


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def api_url(name: str, **kwargs) -> str:
    return absolute(reverse(f"api:{name}", kwargs=kwargs))


def section_ref(section) -> schemas.SectionRef:
    return schemas.SectionRef(
        name=section.name,
        slug=section.slug,
        url=absolute(reverse("reader:section", kwargs={"slug": section.slug})),
    )


def story_summary(article: Article) -> dict:
    """The list entry of a public story (from ``reader.selectors.story_list``)."""
    return {
        "id": article.pk,
        "url": absolute(article.get_absolute_url()),
        "api_url": api_url("story", story_id=article.pk),
        "ninjs_url": api_url("story_ninjs", story_id=article.pk),
        "headline": article.headline,
        "dek": article.dek,
        "section": section_ref(article.section),
        "status": article.status,
        "story_date": article.story_date,
        "first_published_at": article.first_published_at,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
    }


def _source(source: selectors.PublicSource | None) -> schemas.PublicSource | None:
    if source is None:
        return None
    source_id = resolve(source.url).kwargs["pk"] if source.url else None
    return schemas.PublicSource(
        name=source.name,
        kind=source.kind,
        kind_label=source.kind_label,
        role=source.role,
        reader_note=source.reader_note,
        url=absolute(source.url) if source.url else None,
        api_url=api_url("source", source_id=source_id) if source_id else None,
        protected=source.protected,
    )


def _correction(correction) -> schemas.PublicCorrection:
    return schemas.PublicCorrection(
        kind=correction.kind, text=correction.text, created_at=correction.created_at
    )


def _marker(story_url: str):
    def marker(number: int) -> str:
        return format_html(
            '<sup class="claim-marker"><a href="{0}#claim-{1}">{1}</a></sup>',
            story_url,
            number,
        )

    return marker


@dataclass(frozen=True)
class Documents:
    story_json: str
    ninjs_json: str
    claim_reviews: list[dict]

    @property
    def etag(self) -> str:
        digest = hashlib.sha256()
        for part in (self.story_json, self.ninjs_json, json.dumps(self.claim_reviews)):
            digest.update(part.encode())
            digest.update(b"\0")
        return digest.hexdigest()[:32]


def build_documents(page: selectors.ArticlePage) -> Documents:
    """The story, its ninjs and its ClaimReviews, from the article page's model."""
    article = page.article
    story_url = absolute(article.get_absolute_url())
    markers = {claim.end: claim.number for claim in page.claims}
    body_html = rendering.render_body(article.body, markers, _marker(story_url))
    story = schemas.Story(
        **story_summary(article),
        public_updated_at=page.updated_at,
        bylines=page.bylines,
        contributor_credit=article.contributor_credit,
        dateline=article.dateline,
        tags=[schemas.TagRef(**tag) for tag in page.tags],
        body_html=body_html,
        claims=[
            schemas.PublicClaim(
                number=claim.number,
                text=claim.text,
                kind_label=claim.kind_label,
                speaker=_source(claim.speaker),
                channel=_source(claim.channel),
                reader_note=claim.reader_note,
                attribution=claim.attribution,
                attribution_label=claim.attribution_label,
                veracity=claim.veracity,
                veracity_label=claim.veracity_label,
                explanation=claim.explanation,
                reviewed_at=claim.reviewed_at,
                corrected_at=claim.corrected_at,
                evidence=[
                    schemas.PublicEvidence(**asdict(item)) for item in claim.evidence
                ],
            )
            for claim in page.claims
        ],
        corrections=[_correction(c) for c in page.corrections],
        retraction=_correction(page.retraction) if page.retraction else None,
    )
    # The page's own "Updated" time, as its JSON-LD dateModified.
    version = (
        page.updated_at
        or article.first_published_at
        or article.published_at
        or article.updated_at
    )
    ninjs_doc = ninjs.ninjs_document(
        page,
        uri=api_url("story", story_id=article.pk),
        story_url=story_url,
        body_html=body_html,
        version_created=version.isoformat(),
        tag_url=lambda slug: absolute(reverse("reader:tag", kwargs={"slug": slug})),
    )
    json_ld = json.loads(structured_data.article_json_ld(page, article_url=story_url))
    return Documents(
        story_json=story.model_dump_json(),
        ninjs_json=json.dumps(ninjs_doc, ensure_ascii=False, separators=(",", ":")),
        claim_reviews=[
            item for item in json_ld["@graph"] if item.get("@type") == "ClaimReview"
        ],
    )


def _code_fingerprint() -> str:
    modules = (sys.modules[__name__], ninjs, schemas)
    return hashlib.sha256(
        "\0".join(inspect.getsource(module) for module in modules).encode()
    ).hexdigest()


_cached_code_fingerprint = functools.cache(_code_fingerprint)


def renderer() -> str:
    """The reader's renderer fingerprint (read model, templates, settings) and
    this module's code: a deploy that changes either rebuilds every document."""
    code = _code_fingerprint() if settings.DEBUG else _cached_code_fingerprint()
    return hashlib.sha256(f"{renders.renderer()}\0{code}".encode()).hexdigest()


@dataclass(frozen=True)
class Stored:
    body: str
    etag: str
    changed_at: datetime.datetime


_PUBLIC_STATUS_PARAMS = ", ".join(["%s"] * len(Article.PUBLIC_STATUSES))
# Written out, as the reader's story-render query is: compiling it through the
# ORM on every request would cost as much as running it.
_CURRENT_DOCUMENT_SQL = f"""
SELECT doc.{{column}}, doc.etag, doc.changed_at
FROM {StoryDocument._meta.db_table} doc
JOIN {Article._meta.db_table} story ON story.id = doc.article_id
WHERE doc.article_id = %s AND story.status IN ({_PUBLIC_STATUS_PARAMS})
  AND doc.renderer = %s AND doc.built_at > %s
  AND doc.edition = COALESCE(
    (SELECT number FROM {PublicEdition._meta.db_table} WHERE id = 1), 0
  )
"""
_DOCUMENT_COLUMNS = {"story": "story_json", "ninjs": "ninjs_json"}


def stored_document(*, story_id: int, kind: str) -> Stored | None:
    """The stored ``kind`` document ("story" or "ninjs") of a public story, if
    it is current; else None (one query)."""
    if settings.STORY_RENDER_MAX_AGE <= 0:
        return None
    max_age = datetime.timedelta(seconds=settings.STORY_RENDER_MAX_AGE)
    operations = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            _CURRENT_DOCUMENT_SQL.format(column=_DOCUMENT_COLUMNS[kind]),
            [
                story_id,
                *Article.PUBLIC_STATUSES,
                renderer(),
                operations.adapt_datetimefield_value(timezone.now() - max_age),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    body, etag, changed_at = row
    if isinstance(changed_at, str):  # SQLite hands raw SQL its text
        changed_at = datetime.datetime.fromisoformat(changed_at)
    if timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, datetime.UTC)
    return Stored(body, etag, changed_at)


def public_documents(story_id: int) -> tuple[Documents, datetime.datetime]:
    """Build the documents of the public story ``story_id`` (or raise
    ``Http404``), store them unless storing is off, and return them with the
    time they last changed."""
    address = (
        selectors.public_articles()
        .filter(pk=story_id)
        .values_list("section__slug", "story_date", "slug")
        .first()
    )
    if address is None:
        raise Http404("No such story.")
    section, day, slug = address
    article = selectors.public_article(section=section, day=day, slug=slug)
    documents = build_documents(selectors.article_page_for(article))
    now = timezone.now()
    previous = (
        StoryDocument.objects.filter(pk=article.pk)
        .values_list("etag", "changed_at")
        .first()
    )
    changed_at = previous[1] if previous and previous[0] == documents.etag else now
    if settings.STORY_RENDER_MAX_AGE > 0:
        StoryDocument.objects.bulk_create(
            [
                StoryDocument(
                    article=article,
                    edition=article.public_edition,
                    renderer=renderer(),
                    story_json=documents.story_json,
                    ninjs_json=documents.ninjs_json,
                    claim_reviews=documents.claim_reviews,
                    etag=documents.etag,
                    changed_at=changed_at,
                    built_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=[
                "edition",
                "renderer",
                "story_json",
                "ninjs_json",
                "claim_reviews",
                "etag",
                "changed_at",
                "built_at",
            ],
        )
    return documents, changed_at


def public_clock() -> datetime.datetime:
    """When public content last changed: an upper bound for any list's change."""
    clock = PublicClock.objects.filter(pk=1).first()
    if clock is None:
        # Nothing changed since the clock was installed: now is a safe bound.
        clock, _ = PublicClock.objects.get_or_create(
            pk=1, defaults={"changed_at": timezone.now()}
        )
    return clock.changed_at


def public_clock_advance(**kwargs) -> None:
    """Receiver of ``public_content_changed``: lists changed now."""
    PublicClock.objects.update_or_create(pk=1, defaults={"changed_at": timezone.now()})


def claim_reviews_of(story_ids: list[int]) -> dict[int, list[dict]]:
    """The ClaimReviews of these public stories from their current stored
    documents (one query), building those that are missing or stale."""
    reviews = {}
    if settings.STORY_RENDER_MAX_AGE > 0:
        max_age = datetime.timedelta(seconds=settings.STORY_RENDER_MAX_AGE)
        edition = PublicEdition.objects.filter(pk=1).values("number")
        current = StoryDocument.objects.filter(
            article_id__in=story_ids,
            renderer=renderer(),
            built_at__gt=timezone.now() - max_age,
            edition=Coalesce(Subquery(edition), 0),
        )
        reviews = dict(current.values_list("article_id", "claim_reviews"))
    for story_id in story_ids:
        if story_id not in reviews:
            try:
                reviews[story_id] = public_documents(story_id)[0].claim_reviews
            except Http404:  # Taken down since the page of ids was read.
                reviews[story_id] = []
    return reviews
