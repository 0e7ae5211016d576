"""Whole-page caching for anonymous readers, dropped when public content changes.

Every cached page's key carries a "public version"; publishing, correcting,
retracting or unpublishing a story (``articles.signals.public_content_changed``)
moves the version on, so every page cached before is never served again and
simply expires.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

VERSION_KEY = "reader:public-version"


def public_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_public_version(**kwargs) -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def _cacheable(request) -> bool:
    # Checking the session cookie, not request.user, keeps a cache hit query-free.
    return (
        request.method in {"GET", "HEAD"}
        and settings.PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES  # the page would show them
    )


def cached_public_page(view):
    """Serve anonymous GETs from the cache; signed-in staff always see it fresh."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        # The host is part of the key: sitemaps and canonical links print it.
        key = (
            f"reader:page:{public_version()}:{request.get_host()}"
            f"{request.get_full_path()}"
        )
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response = response.render()
            # A response that sets a cookie (a message, a session) is someone's own.
            if response.status_code == 200 and not response.cookies:
                cache.set(
                    key,
                    (response.content, response["Content-Type"]),
                    settings.PAGE_CACHE_SECONDS,
                )
            response["X-Cache"] = "miss"
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
