"""The whole-page cache, driven as gunicorn drives it: through the WSGI layer."""

from typing import NamedTuple
from unittest import mock
from wsgiref.headers import Headers
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils.html import escape

from desk import workflow
from reader.caching import (
    LAYER_ENVIRON_KEY,
    STORE_HEADER,
    PublicPageCache,
    bump_public_version,
    cached_public_page,
)
from tests.reader.conftest import publish_reviewed

pytestmark = pytest.mark.django_db


@cached_public_page(query=("part",))
def _sized_page(request, size):
    return HttpResponse(b"x" * size)


@cached_public_page
def _page_setting_a_cookie(request):
    response = HttpResponse("Welcome back.")
    response.set_cookie("seen", "1")
    return response


@cached_public_page
def _gone_page(request):
    return HttpResponse("Gone.", status=410)


# For the tests marked ``urls(__name__)``: marked pages of every kind.
urlpatterns = [
    path("bytes/<int:size>/", _sized_page),
    path("cookie/", _page_setting_a_cookie),
    path("gone/", _gone_page),
]


class Served(NamedTuple):
    status: int
    headers: Headers
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


def serve(
    app, path="/", *, method="GET", query="", host="testserver", cookie="", **headers
):
    """One request through ``app`` as a WSGI server makes it; ``headers`` are
    more environ entries (``HTTP_IF_NONE_MATCH="..."``)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": host,
        **headers,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)
    started = []
    chunks = app(
        environ,
        lambda status, headers, exc_info=None: started.append((status, headers)),
    )
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    [(status, headers)] = started
    served = Served(int(status.split()[0]), Headers(headers), body)
    # Every response of every test: the marker never reaches a client.
    assert STORE_HEADER not in served.headers
    return served


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # As Django's test client does: the handler would otherwise close the
    # connection that holds the test's transaction at each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def page_cache(settings):
    """A worker's WSGI application, with its own empty memory."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_VERSION_CHECK_SECONDS = 0
    return PublicPageCache(WSGIHandler())


def test_gunicorn_serves_django_behind_the_page_cache():
    from newsroom.wsgi import application

    assert isinstance(application, PublicPageCache)


def test_a_page_is_built_once_then_served_from_the_cache(page_cache, published):
    first = serve(page_cache, "/")
    second = serve(page_cache, "/")
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"
    assert second.status == 200 and second.body == first.body
    assert escape(published.headline) in second.text
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["Cache-Control"] == "public, max-age=60"


def test_the_cached_article_page_runs_no_queries(page_cache, published):
    url = published.get_absolute_url()
    serve(page_cache, url)
    with CaptureQueriesContext(connection) as queries:
        assert serve(page_cache, url).headers["X-Cache"] == "hit"
    assert queries.captured_queries == []


def test_a_hit_in_memory_makes_no_round_trip_to_the_shared_cache(
    page_cache, published, settings
):
    settings.PAGE_CACHE_VERSION_CHECK_SECONDS = 60
    serve(page_cache, "/")
    with mock.patch.object(cache, "get", side_effect=AssertionError("round trip")):
        assert serve(page_cache, "/").headers["X-Cache"] == "hit"


def test_another_worker_serves_the_page_from_the_shared_cache(page_cache, published):
    built = serve(page_cache, "/")
    other_worker = PublicPageCache(WSGIHandler())
    with CaptureQueriesContext(connection) as queries:
        page = serve(other_worker, "/")
    assert page.headers["X-Cache"] == "hit" and page.body == built.body
    assert queries.captured_queries == []
    assert len(other_worker.local_pages) == 1  # and from its memory from now on


def test_publication_and_retraction_make_old_pages_unreachable(
    page_cache, demo, django_capture_on_commit_callbacks
):
    assert serve(page_cache, "/").headers["X-Cache"] == "miss"
    assert serve(page_cache, "/").headers["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        publish_reviewed(demo)
    fresh = serve(page_cache, "/")
    assert fresh.headers["X-Cache"] == "miss" and escape(demo.headline) in fresh.text

    url = demo.get_absolute_url()
    serve(page_cache, url)
    assert serve(page_cache, url).headers["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(
            article_id=demo.pk,
            actor=get_user_model().objects.get(username="publisher"),
            name="retract",
            message="Retracted for the cache test.",
        )
    retracted = serve(page_cache, url)
    assert retracted.headers["X-Cache"] == "miss"
    assert "Retracted for the cache test." in retracted.text


def test_a_change_reaches_each_worker_within_the_version_check_interval(
    page_cache, published, settings
):
    settings.PAGE_CACHE_VERSION_CHECK_SECONDS = 1
    with mock.patch("reader.caching.monotonic", return_value=100.0) as clock:
        serve(page_cache, "/")
        bump_public_version()
        clock.return_value = 100.9
        assert serve(page_cache, "/").headers["X-Cache"] == "hit"
        clock.return_value = 101.0
        assert serve(page_cache, "/").headers["X-Cache"] == "miss"


def test_a_page_expires_after_page_cache_seconds(page_cache, published, settings):
    settings.PAGE_CACHE_SECONDS = 60
    with mock.patch("reader.caching.time", return_value=1000.0) as clock:
        serve(page_cache, "/")
        clock.return_value = 1059.9
        assert serve(page_cache, "/").headers["X-Cache"] == "hit"
        clock.return_value = 1060.0
        assert serve(page_cache, "/").headers["X-Cache"] == "miss"


def test_signed_in_staff_never_get_a_cached_page(
    page_cache, published, client, editor, settings
):
    serve(page_cache, "/")  # a reader's copy, ready to be served
    client.force_login(editor)
    name = settings.SESSION_COOKIE_NAME
    staff = serve(page_cache, "/", cookie=f"{name}={client.cookies[name].value}")
    assert staff.status == 200 and "X-Cache" not in staff.headers
    assert len(page_cache.local_pages) == 1  # the staff page was not stored


@pytest.mark.parametrize(
    "method, cookie",
    [("POST", ""), ("GET", "messages=waiting"), ("GET", "sessionid=whoever")],
)
def test_requests_that_may_not_share_a_page_pass_straight_through(
    page_cache, published, method, cookie
):
    for _ in range(2):
        served = serve(page_cache, "/", method=method, cookie=cookie)
        assert "X-Cache" not in served.headers
    assert len(page_cache.local_pages) == 0


def test_nothing_is_cached_when_page_cache_seconds_is_0(
    page_cache, published, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    assert "X-Cache" not in serve(page_cache, "/").headers
    assert "X-Cache" not in serve(page_cache, "/").headers
    assert len(page_cache.local_pages) == 0


def test_head_requests_are_served_stored_pages_but_store_none(page_cache, published):
    assert serve(page_cache, "/", method="HEAD").headers["X-Cache"] == "miss"
    assert serve(page_cache, "/", method="HEAD").headers["X-Cache"] == "miss"
    page = serve(page_cache, "/")
    head = serve(page_cache, "/", method="HEAD")
    assert head.headers["X-Cache"] == "hit" and head.body == b""
    assert head.headers["Content-Length"] == str(len(page.body))


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/cookie/", "/gone/"])
def test_only_a_200_that_sets_no_cookie_is_stored(page_cache, url):
    for _ in range(2):
        assert serve(page_cache, url).headers["X-Cache"] == "miss"
    assert len(page_cache.local_pages) == 0


def test_cached_pages_are_kept_apart_per_host(page_cache, published, settings):
    settings.ALLOWED_HOSTS = ["news.example.org", "evil.example.org"]
    serve(page_cache, "/sitemap.xml", host="evil.example.org")
    page = serve(page_cache, "/sitemap.xml", host="news.example.org")
    assert page.headers["X-Cache"] == "miss"
    assert "news.example.org" in page.text and "evil.example.org" not in page.text


@pytest.mark.parametrize("host", ["attacker.example", "testserver@attacker.example"])
def test_a_host_django_refuses_is_never_stored(page_cache, published, host):
    for _ in range(2):
        refused = serve(page_cache, "/", host=host)
        assert refused.status == 400 and "X-Cache" not in refused.headers
    assert len(page_cache.local_pages) == 0


@pytest.mark.parametrize(
    "path, query, status",
    [
        # PATH_INFO holds the raw bytes decoded as Latin-1, as servers pass them.
        ("/world/2026/01/04/\xff\xfe\x00/", "", 404),
        ("/caf\xc3\xa9/%/", "", 404),
        ("/search/", "q=missile%00%ff\xff&page=\x00", 200),
    ],
)
def test_odd_bytes_in_a_request_do_not_break_the_cache(
    page_cache, published, path, query, status
):
    first = serve(page_cache, path, query=query)
    second = serve(page_cache, path, query=query)
    assert first.status == second.status == status
    assert second.headers.get("X-Cache") == ("hit" if status == 200 else None)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "max_entries, max_bytes", [(2, 1_000_000), (1_000, 10_000)], ids=["count", "bytes"]
)
def test_a_workers_memory_keeps_the_most_recent_pages_within_its_bounds(
    settings, max_entries, max_bytes
):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_VERSION_CHECK_SECONDS = 60
    settings.PAGE_CACHE_LOCAL_ENTRIES = max_entries
    settings.PAGE_CACHE_LOCAL_BYTES = max_bytes
    app = PublicPageCache(WSGIHandler())
    for part in ["a", "b", "a", "c"]:  # b is the least recently used
        serve(app, "/bytes/4000/", query=f"part={part}")
    assert len(app.local_pages) == 2 and app.local_pages.size <= max_bytes
    with mock.patch.object(cache, "get", wraps=cache.get) as shared_get:
        assert serve(app, "/bytes/4000/", query="part=a").headers["X-Cache"] == "hit"
        assert serve(app, "/bytes/4000/", query="part=c").headers["X-Cache"] == "hit"
        assert shared_get.call_count == 0
        assert serve(app, "/bytes/4000/", query="part=b").headers["X-Cache"] == "hit"
        assert shared_get.call_count == 1  # evicted from memory, not from Redis


def test_views_mark_only_pages_that_may_be_shared(client, published, settings, editor):
    settings.PAGE_CACHE_SECONDS = 600
    behind_the_layer = {LAYER_ENVIRON_KEY: True}
    shared = client.get("/", **behind_the_layer)
    assert shared[STORE_HEADER] and shared["Cache-Control"] == "public, max-age=60"
    # Without the layer (ASGI) nobody would take the marker off: none is set.
    alone = client.get("/")
    assert STORE_HEADER not in alone and alone["Cache-Control"] == "public, max-age=60"
    client.force_login(editor)
    assert STORE_HEADER not in client.get("/", **behind_the_layer)


def test_readers_still_get_pages_when_the_shared_cache_is_down(
    page_cache, published, monkeypatch
):
    from reader import caching

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(caching.cache, "get", down)
    monkeypatch.setattr(caching.cache, "set", down)
    url = published.get_absolute_url()
    for _ in range(2):
        page = serve(page_cache, url)
        assert page.status == 200 and escape(published.headline) in page.text
    assert len(page_cache.local_pages) == 0  # nothing kept without the version
    assert serve(page_cache, "/healthz").status == 200  # never asks the cache


def test_only_the_query_parameters_a_page_reads_tell_its_pages_apart(
    page_cache, published
):
    """A crawler adding ``?utm_source=`` or random parameters fills no cache."""
    section = f"/{published.section.slug}/"
    assert serve(page_cache, section).headers["X-Cache"] == "miss"
    for query in ["utm_source=x", "x=1&y=2&x=3"]:
        assert serve(page_cache, section, query=query).headers["X-Cache"] == "hit"
    assert serve(page_cache, section, query="page=2").headers["X-Cache"] == "miss"
    for query in ["page=2&page=9", "page=02", "utm_source=x&page=2"]:
        assert serve(page_cache, section, query=query).headers["X-Cache"] == "hit"
    search = "/search/"
    serve(page_cache, search, query="q=missile%20launch")
    for query in ["q=missile++launch&ref=home", "ref=1&q=%20missile%20launch%20"]:
        assert serve(page_cache, search, query=query).headers["X-Cache"] == "hit"
    assert len(page_cache.local_pages) == 3  # section, its page 2, one search
