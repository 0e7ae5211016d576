"""The API itself: version 1 under ``/api/v1/``, its OpenAPI document at
``/api/v1/openapi.json`` and a browsable page at ``/api/v1/docs``.

Domain errors of the services become 400/403/404/409 answers with a
``detail`` for people (and ``reasons`` where there are several), never a 500.
"""

from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from api import public, schemas, staff
from desk.exceptions import ApprovalBlocked, InvalidTransition, PublicationBlocked
from factcheck.exceptions import ClaimError

content_api = NinjaAPI(
    title=f"{settings.NEWSROOM_NAME} content API",
    version="1",
    description="Published stories with their claims, sources, verdicts, "
    "evidence and corrections (anonymous, read-only); and, with a staff token, "
    "drafts, transitions, the review queue and claim reviews.",
    urls_namespace="api",
    # Swagger UI sets inline styles; everything else keeps the site's policy.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
)
content_api.add_router("/", public.router)
content_api.add_router("/staff/", staff.router)


def _answer(request, status: int, detail: str, reasons: list[str] | None = None):
    body = {"detail": detail}
    if reasons is not None:
        body["reasons"] = reasons
    return content_api.create_response(request, body, status=status)


@content_api.exception_handler(AuthenticationError)
def unauthenticated(request, error):
    response = _answer(request, 401, "A valid staff API token is required.")
    response["WWW-Authenticate"] = 'Bearer realm="staff API"'
    return response


@content_api.exception_handler(PermissionDenied)
def forbidden(request, error):
    return _answer(request, 403, str(error) or "Your role does not allow this.", [])


@content_api.exception_handler(ObjectDoesNotExist)
def not_found(request, error):
    return _answer(request, 404, "Not found.")


@content_api.exception_handler(ValidationError)
def invalid(request, error):
    return _answer(request, 400, "The content is not valid.", error.messages)


@content_api.exception_handler(ApprovalBlocked)
def blocked(request, error):
    return _answer(request, 409, "The story cannot go on yet.", error.reasons)


def _not_now(request, error):
    return _answer(request, 409, str(error), [str(error)])


for _error in (InvalidTransition, PublicationBlocked, ClaimError):
    content_api.add_exception_handler(_error, _not_now)

# The query parameters each public list reads: only they tell its cached pages
# apart (``reader.caching``), so a page of one cursor or filter is never
# served for another.
_PAGE_QUERY = {
    "stories": frozenset(schemas.StoryQuery.model_fields),
    "sources": frozenset(schemas.PageQuery.model_fields),
    "corrections": frozenset(schemas.PageQuery.model_fields),
    "claim_reviews": frozenset(schemas.PageQuery.model_fields),
}


def urls():
    """The API's URL patterns, each public list's view marked with its query
    (the page cache resolves a path to the view ninja makes for it)."""
    patterns, app_name, namespace = content_api.urls
    for pattern in patterns:
        if pattern.name in _PAGE_QUERY:
            pattern.callback.page_query = _PAGE_QUERY[pattern.name]
    return patterns, app_name, namespace


@content_api.exception_handler(Exception)
def unexpected(request, error):
    # Django's own 500 handling: logged, and no traceback in the answer even
    # with DEBUG on (ninja would print one).
    raise error
