"""The API behind the page cache, driven as gunicorn drives it (WSGI)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desk import workflow
from tests.api.conftest import bearer
from tests.reader.test_page_cache import serve

pytestmark = pytest.mark.django_db


def test_a_story_is_served_from_the_page_cache_with_its_validators(
    page_cache, published
):
    path = f"/api/v1/stories/{published.pk}/"
    first = serve(page_cache, path)
    with CaptureQueriesContext(connection) as queries:
        second = serve(page_cache, path)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert queries.captured_queries == []
    assert second.body == first.body
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Content-Type"] == "application/json"


def test_a_cache_hit_answers_conditional_requests_with_304(page_cache, published):
    path = f"/api/v1/stories/{published.pk}/"
    stored = serve(page_cache, path)
    etag, modified = stored.headers["ETag"], stored.headers["Last-Modified"]
    fresh = serve(page_cache, path, HTTP_IF_NONE_MATCH=etag)
    assert (fresh.status, fresh.body, fresh.headers["X-Cache"]) == (304, b"", "hit")
    assert fresh.headers["ETag"] == etag and "Content-Type" not in fresh.headers
    assert serve(page_cache, path, HTTP_IF_NONE_MATCH='"old", W/' + etag).status == 304
    assert serve(page_cache, path, HTTP_IF_NONE_MATCH='"old"').status == 200
    assert serve(page_cache, path, HTTP_IF_MODIFIED_SINCE=modified).status == 304
    earlier = "Thu, 01 Jan 2004 00:00:00 GMT"
    assert serve(page_cache, path, HTTP_IF_MODIFIED_SINCE=earlier).status == 200


def test_a_public_change_drops_the_cached_api_answers(
    page_cache, published, django_capture_on_commit_callbacks
):
    path = f"/api/v1/stories/{published.pk}/"
    before = serve(page_cache, path)
    serve(page_cache, "/api/v1/corrections/")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(
            article_id=published.pk,
            actor=get_user_model().objects.get(username="publisher"),
            name="correct",
            message="CORRECTED-RANGE",
        )
    after = serve(page_cache, path)
    assert after.headers["X-Cache"] == "miss" and b"CORRECTED-RANGE" in after.body
    assert after.headers["ETag"] != before.headers["ETag"]
    log = serve(page_cache, "/api/v1/corrections/")
    assert log.headers["X-Cache"] == "miss" and b"CORRECTED-RANGE" in log.body


def test_each_page_and_filter_of_a_list_is_cached_apart(page_cache, published):
    first = serve(page_cache, "/api/v1/stories/", query="limit=1")
    other = serve(page_cache, "/api/v1/stories/", query="section=sport")
    assert other.headers["X-Cache"] == "miss" and other.body != first.body
    again = serve(page_cache, "/api/v1/stories/", query="limit=1&utm_source=x")
    assert again.headers["X-Cache"] == "hit" and again.body == first.body


def test_staff_answers_are_never_stored(page_cache, reporter, token_for):
    key = token_for(reporter, "read")
    for _ in range(2):
        served = serve(page_cache, "/api/v1/staff/me/", **bearer(key))
        assert served.status == 200 and "X-Cache" not in served.headers
    assert serve(page_cache, "/api/v1/staff/me/").status == 401
