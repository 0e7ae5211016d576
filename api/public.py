"""The public read API: anonymous, read-only, what readers may see.

Every response is cached like the public pages (``reader.caching``: stored
in front of Django for anonymous clients and dropped on any public change),
carries ``ETag`` and ``Last-Modified`` and answers conditional requests.
"""

from ninja import Query, Router
from ninja.errors import HttpError

from api import documents, schemas, selectors
from api.documents import absolute, api_url, section_ref, story_summary
from api.pagination import BadCursor, next_url
from api.responses import json_response, model_response
from api.throttling import ClientRateThrottle
from factcheck.models import Claim
from reader.caching import cached_public_page

router = Router(tags=["public"], throttle=[ClientRateThrottle("API_RATE_ANONYMOUS")])
router.add_decorator(cached_public_page, mode="view")

_ERRORS = {422: schemas.ValidationFailed, 429: schemas.Error}
_LIST_ERRORS = {400: schemas.Error, **_ERRORS}
_ONE_ERRORS = {404: schemas.Error, **_ERRORS}


def _page_or_400(read):
    try:
        return read()
    except BadCursor as error:
        raise HttpError(400, str(error)) from None


@router.get(
    "/stories/",
    response={200: schemas.StoryPage, **_LIST_ERRORS},
    url_name="stories",
    summary="Published stories, newest first",
)
def stories(request, query: Query[schemas.StoryQuery]):
    filters = selectors.StoryFilters(
        section=query.section,
        tag=query.tag,
        source=query.source,
        updated_since=query.updated_since,
    )
    page = _page_or_400(
        lambda: selectors.story_page(
            filters=filters, cursor=query.cursor, limit=query.limit
        )
    )
    body = schemas.StoryPage(
        items=[story_summary(story) for story in page.items],
        next=next_url(request, page.cursor),
    )
    return model_response(request, body, last_modified=documents.public_clock())


def _document(request, story_id: int, kind: str):
    stored = documents.stored_document(story_id=story_id, kind=kind)
    if stored is None:
        built, changed_at = documents.public_documents(story_id)
        body = built.story_json if kind == "story" else built.ninjs_json
        stored = documents.Stored(body, built.etag, changed_at)
    return json_response(
        request, stored.body, etag=stored.etag, last_modified=stored.changed_at
    )


@router.get(
    "/stories/{story_id}/",
    response={200: schemas.Story, **_ONE_ERRORS},
    url_name="story",
    summary="A published story with its claims, sources, verdicts and corrections",
)
def story(request, story_id: schemas.Id):
    return _document(request, story_id, "story")


@router.get(
    "/stories/{story_id}/ninjs/",
    response={200: dict, **_ONE_ERRORS},
    url_name="story_ninjs",
    summary="A published story as IPTC ninjs 2.1, its claims as associations",
    description="Claims follow the ``newsroom-claim/1`` profile (see the README).",
)
def story_ninjs(request, story_id: schemas.Id):
    return _document(request, story_id, "ninjs")


@router.get(
    "/sections/",
    response={200: schemas.SectionList, **_ERRORS},
    url_name="sections",
    summary="Sections with published stories",
)
def sections(request):
    body = schemas.SectionList(
        items=[
            schemas.SectionOut(
                **section_ref(section).model_dump(),
                description=section.description,
                stories_url=api_url("stories") + f"?section={section.slug}",
            )
            for section in selectors.public_sections()
        ]
    )
    return model_response(request, body, last_modified=documents.public_clock())


@router.get(
    "/tags/",
    response={200: schemas.TagList, **_ERRORS},
    url_name="tags",
    summary="Tags of published stories",
)
def tags(request):
    body = schemas.TagList(
        items=[
            schemas.TagOut(
                name=tag.name,
                slug=tag.slug,
                stories_url=api_url("stories") + f"?tag={tag.slug}",
            )
            for tag in selectors.public_tags()
        ]
    )
    return model_response(request, body, last_modified=documents.public_clock())


def _source_summary(source) -> dict:
    return {
        "id": source.pk,
        "name": source.public_name,
        "kind": source.kind,
        "kind_label": source.get_kind_display(),
        "url": absolute(source.get_absolute_url()),
        "api_url": api_url("source", source_id=source.pk),
    }


@router.get(
    "/sources/",
    response={200: schemas.SourcePage, **_LIST_ERRORS},
    url_name="sources",
    summary="Sources with checked claims in published stories",
)
def sources(request, query: Query[schemas.PageQuery]):
    page = _page_or_400(
        lambda: selectors.source_page(cursor=query.cursor, limit=query.limit)
    )
    body = schemas.SourcePage(
        items=[_source_summary(source) for source in page.items],
        next=next_url(request, page.cursor),
    )
    return model_response(request, body, last_modified=documents.public_clock())


def _label(choices, value: str) -> str:
    return choices(value).label if value else ""


@router.get(
    "/sources/{source_id}/",
    response={200: schemas.SourceOut, **_ONE_ERRORS},
    url_name="source",
    summary="A source's public record: its checked claims in published stories",
)
def source(request, source_id: schemas.Id):
    found, claims = selectors.source_detail(source_id)
    body = schemas.SourceOut(
        **_source_summary(found),
        country=found.country,
        reader_note=found.reader_note,
        description=found.description,
        homepage=found.homepage,
        roles=[
            schemas.SourceRole(title=role.title, start=role.start, end=role.end)
            for role in found.roles.all()
        ],
        claims=[
            schemas.SourceClaim(
                text=claim.text,
                story_id=claim.article_id,
                story_url=absolute(claim.article.get_absolute_url()),
                headline=claim.article.headline,
                relayed=claim.channel_id == found.pk,
                attribution=claim.attribution,
                attribution_label=_label(Claim.Attribution, claim.attribution),
                veracity=claim.veracity,
                veracity_label=_label(Claim.Veracity, claim.veracity),
            )
            for claim in claims
        ],
    )
    return model_response(request, body, last_modified=documents.public_clock())


@router.get(
    "/corrections/",
    response={200: schemas.CorrectionPage, **_LIST_ERRORS},
    url_name="corrections",
    summary="The corrections log: corrections and retractions, newest first",
)
def corrections(request, query: Query[schemas.PageQuery]):
    page = _page_or_400(
        lambda: selectors.correction_page(cursor=query.cursor, limit=query.limit)
    )
    body = schemas.CorrectionPage(
        items=[
            schemas.CorrectionOut(
                id=correction.pk,
                kind=correction.kind,
                text=correction.text,
                created_at=correction.created_at,
                story_id=correction.article_id,
                story_url=absolute(correction.article.get_absolute_url()),
                story_api_url=api_url("story", story_id=correction.article_id),
                headline=correction.article.headline,
            )
            for correction in page.items
        ],
        next=next_url(request, page.cursor),
    )
    return model_response(request, body, last_modified=documents.public_clock())


@router.get(
    "/claim-reviews/",
    response={200: schemas.ClaimReviewFeed, **_LIST_ERRORS},
    url_name="claim_reviews",
    by_alias=True,
    summary="schema.org ClaimReview feed: the rated claims of published stories",
    description="Each page covers up to ``limit`` stories, newest first; the "
    "ClaimReviews are the ones in the stories' pages' JSON-LD.",
)
def claim_reviews(request, query: Query[schemas.PageQuery]):
    page = _page_or_400(
        lambda: selectors.story_ids_page(cursor=query.cursor, limit=query.limit)
    )
    story_ids = [row["pk"] for row in page.items]
    reviews = documents.claim_reviews_of(story_ids)
    body = schemas.ClaimReviewFeed.model_validate(
        {
            "@context": "https://schema.org",
            "@type": "DataFeed",
            "dataFeedElement": [item for pk in story_ids for item in reviews[pk]],
            "next": next_url(request, page.cursor),
        }
    )
    return model_response(request, body, last_modified=documents.public_clock())
