"""The staff API: drafts, transitions, the review queue and claim reviews.

Authenticated by a token (``api.auth``) and acting as its user. Every write
is one call to the service the desk and the admin call
(``desk.services.article_start`` / ``article_save``,
``desk.workflow.article_transition``, ``factcheck.services.claim_review``),
so every rule, audit entry and notification holds; refusals come back as
403 (not allowed) or 409 (not possible now), never as a 500.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from ninja import Query, Router, Status
from ninja.errors import HttpError

from api import schemas, selectors
from api.auth import READ, WRITE
from api.pagination import BadCursor, next_url
from api.throttling import ClientRateThrottle
from articles.content import ArticleContent
from articles.exceptions import EditConflict
from articles.models import Article, ArticleRevision, Section, Tag
from articles.selectors import merge_conflict_rows
from desk import services as desk_services
from desk import workflow
from desk.selectors import QueueFilters
from factcheck.models import Claim
from factcheck.selectors import blocker_reasons
from factcheck.services import claim_review

router = Router(tags=["staff"], throttle=[ClientRateThrottle("API_RATE_TOKEN")])
# Nobody's answers are stored or shared: they are for one user.
router.add_decorator(never_cache, mode="view")

_ERRORS = {
    401: schemas.Error,
    403: schemas.Refused,
    422: schemas.ValidationFailed,
    429: schemas.Error,
}
_READ_ERRORS = {404: schemas.Error, **_ERRORS}
_WRITE_ERRORS = {
    400: schemas.Refused,
    404: schemas.Error,
    409: schemas.Refused,
    **_ERRORS,
}


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied("Your role does not allow this.")


# ---------------------------------------------------------------- shapes


def _content_out(content: ArticleContent) -> schemas.StoryContent:
    users = get_user_model().objects.in_bulk(content.author_ids)
    tags = Tag.objects.in_bulk(content.tag_ids)
    return schemas.StoryContent(
        headline=content.headline,
        slug=content.slug,
        section=Section.objects.get(pk=content.section_id).slug,
        story_date=content.story_date,
        dek=content.dek,
        body=content.body,
        dateline=content.dateline,
        contributor_credit=content.contributor_credit,
        embargo_until=content.embargo_until,
        bylines=[users[pk].get_username() for pk in content.author_ids if pk in users],
        tags=[tags[pk].slug for pk in content.tag_ids if pk in tags],
    )


def _revision_out(revision: ArticleRevision) -> schemas.RevisionOut:
    return schemas.RevisionOut(
        id=revision.pk,
        number=revision.number,
        saved_by=revision.saved_by.get_username(),
        created_at=revision.created_at,
        summary=revision.summary,
        merge_note=revision.merge_note,
        content=_content_out(ArticleContent.of_revision(revision)),
    )


def _name(user) -> str | None:
    return user.get_username() if user else None


def _claim_out(claim: Claim) -> schemas.StaffClaim:
    return schemas.StaffClaim(
        id=claim.pk,
        version=claim.version,
        story_id=claim.article_id,
        text=claim.text,
        kind=claim.kind,
        speaker=str(claim.speaker) if claim.speaker else None,
        channel=str(claim.channel) if claim.channel else None,
        review=claim.review,
        attribution=claim.attribution,
        veracity=claim.veracity,
        assignee=_name(claim.assignee),
        due_at=claim.due_at,
        created_at=claim.created_at,
    )


def _story_out(user, story_id: int) -> schemas.StaffStory:
    article = selectors.staff_story(story_id)
    gate = workflow.story_gate(article)
    public = article.status in Article.PUBLIC_STATUSES
    return schemas.StaffStory(
        id=article.pk,
        status=article.status,
        status_label=article.get_status_display(),
        revision=_revision_out(article.current_revision),
        public_url=article.get_absolute_url() if public else None,
        transitions=[
            t.name for t in workflow.available_transitions(user, article, gate)
        ],
        blockers=blocker_reasons(gate.blockers),
        claims=[_claim_out(claim) for claim in selectors.staff_claims(article)],
    )


def _content_in(data: schemas.StoryContent, *, story_date) -> ArticleContent:
    """The service's content value; unknown sections, users or tags are a 400."""
    section = Section.objects.filter(slug=data.section).first()
    if section is None:
        raise HttpError(400, f"There is no section “{data.section}”.")
    users = dict(
        get_user_model()
        .objects.filter(username__in=data.bylines)
        .values_list("username", "pk")
    )
    tags = dict(Tag.objects.filter(slug__in=data.tags).values_list("slug", "pk"))
    unknown = [name for name in data.bylines if name not in users]
    unknown += [slug for slug in data.tags if slug not in tags]
    if unknown:
        raise HttpError(400, f"Unknown bylines or tags: {', '.join(unknown)}.")
    return ArticleContent(
        headline=data.headline,
        slug=data.slug or slugify(data.headline)[:200] or "story",
        section_id=section.pk,
        story_date=data.story_date or story_date,
        dek=data.dek,
        body=data.body,
        dateline=data.dateline,
        contributor_credit=data.contributor_credit,
        embargo_until=data.embargo_until,
        author_ids=tuple(dict.fromkeys(users[name] for name in data.bylines)),
        tag_ids=tuple(dict.fromkeys(tags[slug] for slug in data.tags)),
    )


# ---------------------------------------------------------------- endpoints


@router.get(
    "/me/",
    auth=READ,
    response={200: schemas.Me, **_ERRORS},
    url_name="staff_me",
    summary="Who this token acts as",
)
def me(request):
    user, token = request.user, request.auth
    return schemas.Me(
        username=user.get_username(),
        name=user.get_full_name(),
        roles=sorted(user.groups.values_list("name", flat=True)),
        token=token.name,
        scope=token.scope,
    )


@router.post(
    "/stories/",
    auth=WRITE,
    response={201: schemas.StaffStory, **_WRITE_ERRORS},
    url_name="staff_stories",
    summary="Create a draft (its claims are proposed in the background)",
)
def story_create(request, data: schemas.StoryCreate):
    content = _content_in(data, story_date=timezone.localdate())
    article = desk_services.article_start(
        actor=request.user, content=content, summary=data.summary
    )
    return Status(201, _story_out(request.user, article.pk))


@router.get(
    "/stories/{story_id}/",
    auth=READ,
    response={200: schemas.StaffStory, **_READ_ERRORS},
    url_name="staff_story",
    summary="Any story: its current revision, state, actions and claims",
)
def story_detail(request, story_id: schemas.Id):
    _require(request.user, "articles.view_article")
    return _story_out(request.user, story_id)


@router.put(
    "/stories/{story_id}/",
    auth=WRITE,
    response={
        200: schemas.StaffStory,
        **_WRITE_ERRORS,
        409: schemas.EditConflictOut | schemas.Refused,
    },
    url_name="staff_story_save",
    summary="Save an edit as a new revision",
    description="``base_revision`` is the revision the edit started from: if "
    "someone saved since, the two edits are merged (changes to different "
    "paragraphs of the body, or to different fields) and the new revision's "
    "``merge_note`` says so; where both changed the same paragraph or field, "
    "nothing is written and the answer is a 409 holding both versions (yours "
    "and the current one) and the places that overlap.",
)
def story_save(request, story_id: schemas.Id, data: schemas.StoryUpdate):
    article = get_object_or_404(Article, pk=story_id)
    content = _content_in(data, story_date=article.story_date)
    try:
        desk_services.article_save(
            article=article,
            actor=request.user,
            content=content,
            base_revision_id=data.base_revision,
            summary=data.summary,
        )
    except EditConflict as conflict:
        return Status(
            409,
            schemas.EditConflictOut(
                detail="Someone saved this story after the revision your edit "
                "started from, changing the same places as you. Nothing was "
                "saved: merge your version with the current one and save again "
                "with its id as base_revision.",
                base_revision=conflict.base.number if conflict.base else None,
                overlapping=[row.label for row in merge_conflict_rows(conflict.merge)]
                if conflict.merge
                else [],
                current=_revision_out(conflict.current),
                yours=schemas.StoryContent(
                    **data.model_dump(exclude={"base_revision", "summary"})
                ),
            ),
        )
    return _story_out(request.user, story_id)


@router.post(
    "/stories/{story_id}/transitions/{name}/",
    auth=WRITE,
    response={200: schemas.StaffStory, **_WRITE_ERRORS},
    url_name="staff_story_transition",
    summary="Move a story along the workflow (submit, approve, publish...)",
    description="The same transition table and rules as the desk: "
    + ", ".join(f"``{name}``" for name in workflow.TRANSITIONS_BY_NAME)
    + ".",
)
def story_transition(
    request,
    story_id: schemas.Id,
    name: schemas.TransitionName,
    data: schemas.TransitionIn,
):
    get_object_or_404(Article, pk=story_id)
    workflow.article_transition(
        article_id=story_id,
        actor=request.user,
        name=name,
        message=data.message,
        publish_at=data.publish_at,
        claim_ids=tuple(data.claim_ids),
    )
    return _story_out(request.user, story_id)


@router.get(
    "/queue/",
    auth=READ,
    response={200: schemas.QueuePage, 400: schemas.Error, **_ERRORS},
    url_name="staff_queue",
    summary="The review queue: live claims awaiting review, oldest first",
)
def queue(request, query: Query[schemas.QueueQuery]):
    _require(request.user, "factcheck.view_claim")
    filters = QueueFilters(
        article_id=query.story,
        source_id=query.source,
        kind=query.kind or "",
        assignee=query.assignee,
        older_than_hours=query.older_than_hours,
    )
    try:
        page = selectors.queue_page(
            user=request.user, filters=filters, cursor=query.cursor, limit=query.limit
        )
    except BadCursor as error:
        raise HttpError(400, str(error)) from None
    return schemas.QueuePage(
        items=[_claim_out(claim) for claim in page.items],
        next=next_url(request, page.cursor),
    )


@router.get(
    "/claims/{claim_id}/",
    auth=READ,
    response={200: schemas.StaffClaim, **_READ_ERRORS},
    url_name="staff_claim",
    summary="A claim with its review state",
)
def claim_detail(request, claim_id: schemas.Id):
    _require(request.user, "factcheck.view_claim")
    claim = get_object_or_404(
        Claim.objects.select_related("speaker", "channel", "assignee"), pk=claim_id
    )
    return _claim_out(claim)


@router.post(
    "/claims/{claim_id}/reviews/",
    auth=WRITE,
    response={201: schemas.ReviewOut, **_WRITE_ERRORS},
    url_name="staff_claim_review",
    summary="Record a review decision on a claim",
    description="Refused (403) to anyone who wrote or edited the story, and "
    "(409) for a claim no longer in the story or whose sentence changed since "
    "``reviewed_text``.",
)
def claim_review_create(request, claim_id: schemas.Id, data: schemas.ReviewIn):
    get_object_or_404(Claim, pk=claim_id)
    review = claim_review(
        claim_id=claim_id,
        actor=request.user,
        attribution=data.attribution,
        veracity=data.veracity,
        note=data.note,
        public_explanation=data.public_explanation,
        evidence=[item.model_dump() for item in data.evidence],
        reviewed_text=data.reviewed_text,
        expected_version=data.version,
    )
    return Status(
        201,
        schemas.ReviewOut(
            id=review.pk,
            claim_id=claim_id,
            attribution=review.attribution,
            veracity=review.veracity,
            created_at=review.created_at,
        ),
    )
