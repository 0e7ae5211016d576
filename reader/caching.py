"""Whole-page caching for anonymous readers, dropped when public content changes.

Two halves:

- ``cached_public_page`` is the views' opt-in. For a request that may share a
  page with other readers it marks the response as storable
  (``STORE_HEADER``) and lets browsers keep it a minute. It never touches the
  cache itself.
- ``PublicPageCache`` is a WSGI layer in front of Django (``newsroom/wsgi.py``).
  It answers a hit before Django's handler and middleware run, most often from
  the worker's own memory (``LocalPages``) without a round trip to Redis; on a
  local miss it looks in the shared Django cache, and on a miss there it asks
  Django and stores what the view marked.

Every page's key carries a "public version"; every change readers can see
(``articles.signals.public_content_changed``) moves the version on, so no
page cached before is ever served again (it simply expires). Reading the
version costs a Redis round trip, as much as serving a hit, so each worker
reads it at most once every
``PAGE_CACHE_VERSION_CHECK_SECONDS`` (0: on every request): a change reaches
every worker within that bound, well inside the minute for which browsers may
already keep a page (its ``Cache-Control``).
"""

import functools
import hashlib
import logging
import threading
from collections import OrderedDict
from time import monotonic, time, time_ns
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import get_path_info
from django.http.cookie import parse_cookie
from django.urls import resolve
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, parse_http_date_safe

logger = logging.getLogger(__name__)

VERSION_KEY = "reader:public-version"
# Set by cached_public_page, read and removed by PublicPageCache: never sent.
STORE_HEADER = "X-Page-Cache-Store"
# Put in the WSGI environ by PublicPageCache: the view may mark its page.
LAYER_ENVIRON_KEY = "newsroom.page_cache"
_STORE_HEADER = STORE_HEADER.lower()

# What a public page is built from, apart from the cookies that rule a request
# out and the query (``_page_query``): the scheme (plain HTTP is redirected in
# production), the host (canonical links and sitemaps print it) and the path.
# The proxy headers are taken raw whether or not Django is told to trust them:
# when it is not, they only split the cache, never mix two pages.
_KEY_ENVIRON = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
)
# A query value longer than this changes nothing a page shows (search cuts
# its query shorter).
_QUERY_VALUE_LENGTH = 200


def public_version() -> str:
    """The current public version, from the shared cache (created if missing)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_public_version(**kwargs) -> None:
    """Receiver of ``public_content_changed``: every cached page goes stale."""
    cache.set(VERSION_KEY, str(time_ns()), timeout=None)


def _cacheable(method: str, cookies: dict[str, str]) -> bool:
    """Whether a request may share a page; the view and the WSGI layer both ask."""
    # Checking the session cookie, not request.user, keeps a cache hit query-free.
    return (
        method in {"GET", "HEAD"}
        and settings.PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies  # the page would show them
    )


def cached_public_page(view=None, *, query: tuple[str, ...] = ()):
    """Let ``PublicPageCache`` store this view's pages for anonymous readers.

    ``query`` names the query parameters the view reads: only they tell its
    pages apart (``?utm_source=...`` or ``?x=1`` is the same page, stored
    once). Signed-in staff (a session cookie) and readers with a message
    waiting get an unmarked page that is never stored.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if _cacheable(request.method, request.COOKIES):
                patch_cache_control(response, public=True, max_age=60)
                # Only where the layer will take the marker off again (not under
                # ASGI, say): it must never reach a client.
                if request.META.get(LAYER_ENVIRON_KEY):
                    response[STORE_HEADER] = "1"
            return response

        wrapper.page_query = frozenset(query)
        return wrapper

    return decorate(view) if view is not None else decorate


def _page_query(environ) -> str:
    """The query as it bears on the page: only the parameters its view reads
    (one value each, digits as numbers, spaces collapsed), in a fixed order."""
    try:
        view = resolve(get_path_info(environ)).func
    except Exception:  # Resolver404, or a path no view could take: one page.
        return ""
    wanted = getattr(view, "page_query", frozenset())
    if not wanted:
        return ""
    values: dict[str, str] = {}
    for name, value in parse_qsl(environ.get("QUERY_STRING", "")):
        if name in wanted and name not in values:
            value = " ".join(value.split())[:_QUERY_VALUE_LENGTH]
            values[name] = str(int(value)) if value.isdigit() else value
    return urlencode(sorted(values.items()))


# What a 304 repeats of the stored answer (RFC 9110, section 15.4.5).
_NOT_MODIFIED_KEEPS = {"cache-control", "etag", "expires", "last-modified", "vary"}


def _not_modified(environ, headers: list[tuple[str, str]]) -> bool:
    """Whether a conditional GET may be answered 304 from a stored page that
    carries validators (the API's do; the pages have none)."""
    stored = {name.lower(): value for name, value in headers}
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:  # Then If-Modified-Since is ignored.
        etag = stored.get("etag", "").removeprefix("W/")
        wanted = [tag.removeprefix("W/") for tag in parse_etags(if_none_match)]
        return bool(etag) and ("*" in wanted or etag in wanted)
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE", ""))
    modified = parse_http_date_safe(stored.get("last-modified", ""))
    return since is not None and modified is not None and modified <= since


class _Page(NamedTuple):
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    expires_at: float  # Wall-clock time(): pages pass between workers via Redis.

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(n) + len(v) for n, v in self.headers)


class LocalPages:
    """A per-process LRU of pages, bounded by their number and their bytes."""

    def __init__(self, *, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0
        self._pages: OrderedDict[str, _Page] = OrderedDict()
        # Threaded gunicorn workers share one instance between threads.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: str) -> _Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: _Page) -> None:
        """Keep ``page``, evicting the least recently used beyond the bounds."""
        with self._lock:
            replaced = self._pages.pop(key, None)
            if replaced is not None:
                self.size -= replaced.size
            self._pages[key] = page
            self.size += page.size
            while len(self._pages) > self.max_entries or self.size > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self.size -= evicted.size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size = 0


class PublicPageCache:
    """WSGI middleware serving cached public pages without running Django.

    Requests that may not share a page (see ``_cacheable``) pass straight
    through. Others are served from the worker's memory, else from the shared
    cache, else by Django: a GET response is stored (for ``PAGE_CACHE_SECONDS``)
    only if its view marked it, its status is 200 and it sets no cookie. Only a
    page Django built for the request's host is stored, so a host Django
    refuses (a 400, unmarked) never is. HEAD requests may be served a stored
    page but never store one. Served pages carry ``X-Cache: hit`` or ``miss``.
    """

    def __init__(self, app):
        self.app = app
        self.local_pages = LocalPages(
            max_entries=settings.PAGE_CACHE_LOCAL_ENTRIES,
            max_bytes=settings.PAGE_CACHE_LOCAL_BYTES,
        )
        self._version: str | None = None
        self._version_read_at = 0.0
        # Static files and the health check are never pages: no cache lookup,
        # and /healthz must answer even when Redis does not.
        self._never_pages = ("/" + settings.STATIC_URL.lstrip("/"), "/healthz")

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"].upper()
        if environ.get("PATH_INFO", "").startswith(self._never_pages) or not _cacheable(
            method, parse_cookie(environ.get("HTTP_COOKIE", ""))
        ):
            return self.app(environ, start_response)
        environ[LAYER_ENVIRON_KEY] = True
        try:
            key = self._key(environ)
            page = self._lookup(key)
        except Exception:  # Whatever the cache backend raises when it is down.
            logger.warning("Page cache unavailable; serving from Django", exc_info=True)
            return self._render(environ, start_response, None, store=False)
        if page is None:
            return self._render(environ, start_response, key, store=method == "GET")
        if _not_modified(environ, page.headers):
            kept = [(n, v) for n, v in page.headers if n.lower() in _NOT_MODIFIED_KEEPS]
            start_response("304 Not Modified", [*kept, ("X-Cache", "hit")])
            return []
        start_response(page.status, [*page.headers, ("X-Cache", "hit")])
        return [] if method == "HEAD" else [page.body]

    def _version_now(self) -> str:
        now = monotonic()
        if (
            self._version is None
            or now - self._version_read_at >= settings.PAGE_CACHE_VERSION_CHECK_SECONDS
        ):
            version = public_version()
            if version != self._version:
                self.local_pages.clear()  # Their keys carry the old version.
            self._version, self._version_read_at = version, now
        return self._version

    def _key(self, environ) -> str:
        # Hashed: a path may hold any byte, and Redis keys should stay short.
        request = repr(
            (*(environ.get(name) for name in _KEY_ENVIRON), _page_query(environ))
        )
        digest = hashlib.sha256(request.encode()).hexdigest()
        return f"reader:page:{self._version_now()}:{digest}"

    def _lookup(self, key: str) -> _Page | None:
        now = time()
        page = self.local_pages.get(key)
        if page is not None and page.expires_at > now:
            return page
        stored = cache.get(key)
        if stored is None:
            return None
        page = _Page._make(stored)
        if page.expires_at <= now:  # The shared cache may keep it a moment longer.
            return None
        self.local_pages.put(key, page)
        return page

    def _render(self, environ, start_response, key: str | None, *, store: bool):
        """Ask Django, and keep its page when the view marked it as anyone's."""
        storable = None

        def inspect_and_start(status, headers, exc_info=None):
            nonlocal storable
            if any(name.lower() == _STORE_HEADER for name, _ in headers):
                headers = [(n, v) for n, v in headers if n.lower() != _STORE_HEADER]
                # A response that sets a cookie (a message, a session) is someone's.
                if (
                    store
                    and status.startswith("200 ")
                    and not any(name.lower() == "set-cookie" for name, _ in headers)
                ):
                    storable = (status, headers)
                headers = [*headers, ("X-Cache", "miss")]
            return start_response(status, headers, exc_info)

        chunks = self.app(environ, inspect_and_start)
        if storable is None:
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            chunks.close()  # Django's request_finished: connections go back.
        page = _Page(*storable, body, time() + settings.PAGE_CACHE_SECONDS)
        try:
            cache.set(key, tuple(page), settings.PAGE_CACHE_SECONDS)
        except Exception:  # As in __call__: the page is served, just not kept.
            logger.warning("Page cache unavailable; page not stored", exc_info=True)
        else:
            self.local_pages.put(key, page)
        return [body]
