"""Schemathesis against the API's own OpenAPI document: the public API
anonymously, the staff API with a token. No 500, no answer outside the
schema, nothing internal in a public answer.

Bounded: a few dozen generated requests per operation, derandomised, so the
run takes well under a minute and fails the same way twice.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factcheck.models import Claim, Source
from tests.api.conftest import bearer
from tests.reader.test_site import SECRETS, secrets_in_the_newsroom  # noqa: F401

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
# Ids that exist, filled by the fixture: generated paths use them as often as
# random ones, so answers with content are checked, not only 404s.
KNOWN: dict[str, list[int]] = {}
# Keys that only the staff API may ever show.
INTERNAL_KEYS = ('"note"', '"assignee"', '"origin"', '"review"', '"public":')


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters:
        return st.just(path_parameters)
    choices = [dict(path_parameters)]
    for name in path_parameters:
        choices += [{**path_parameters, name: pk} for pk in KNOWN.get(name, [])]
    return st.sampled_from(choices)


@pytest.fixture
def newsroom(secrets_in_the_newsroom, settings, token_for):  # noqa: F811
    settings.API_RATE_ANONYMOUS = settings.API_RATE_TOKEN = ""
    story = secrets_in_the_newsroom
    KNOWN["story_id"] = list(story.__class__.objects.values_list("pk", flat=True))
    KNOWN["source_id"] = list(Source.objects.values_list("pk", flat=True)[:5])
    KNOWN["claim_id"] = list(Claim.objects.values_list("pk", flat=True)[:5])
    return {"key": token_for("editor")}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema_and_its_secrets(case, newsroom):
    staff = case.path.startswith("/api/v1/staff/")
    headers = {"Authorization": bearer(newsroom["key"])["HTTP_AUTHORIZATION"]}
    response = case.call(headers=headers if staff else {})
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        headers=headers if staff else {},
    )
    if not staff:
        for secret in (*SECRETS, "PENDING-CLAIM-TEXT\\u"):
            assert secret not in response.text, f"{secret} leaked by {case.path}"
        for key in INTERNAL_KEYS:
            assert key not in response.text, f"{key} in {case.path}"
