"""Issue #12, item 12: the staff API keeps the Markdown body as sent."""

import pytest

from tests.api.test_staff import call, draft_payload
from tests.reader.test_silent_input_changes import BODY

pytestmark = pytest.mark.django_db


def test_the_staff_api_keeps_the_bodys_leading_whitespace(client, reporter, token_for):
    key = token_for(reporter)
    story = call(
        client, "post", "/api/v1/staff/stories/", key, draft_payload(body=BODY), 201
    )
    assert story["revision"]["content"]["body"] == BODY
