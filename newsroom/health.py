"""``/healthz``: is the database reachable, is the task broker, is the cache.

Anyone may ask whether the site is up: they get ``ok``, ``degraded`` (the
database answers; the broker or the cache does not) or ``failed``. What failed
and why (host names, error text) is told only to signed-in staff and to a
request made on this machine directly (a monitoring agent; one that came
through a proxy carries a forwarding header and counts as public). Every check
is bounded by short timeouts, so the answer comes within a few seconds
whatever is down or stalled.
"""

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from newsroom.celery import app as celery_app

_LOCAL_ADDRESSES = {"127.0.0.1", "::1"}


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"ok": False, "vendor": connection.vendor, "error": str(error)}
    return {"ok": True, "vendor": connection.vendor}


def broker_status() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "in-process"}
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return {"ok": False, "mode": "broker", "error": type(error).__name__}
    return {"ok": True, "mode": "broker"}


def cache_status() -> dict:
    """A write and a read back: a cache that fails open answers with a miss."""
    try:
        cache.set("healthz", "ok", 10)
        ok = cache.get("healthz") == "ok"
    except Exception:  # A backend that raises when it is down.
        ok = False
    return {"ok": ok, "backend": caches["default"].__class__.__name__}


def _may_see_details(request) -> bool:
    if (
        request.META.get("REMOTE_ADDR") in _LOCAL_ADDRESSES
        and "HTTP_X_FORWARDED_FOR" not in request.META
        and "HTTP_FORWARDED" not in request.META
    ):
        return True
    try:  # The session is in the database, which may be the thing that is down.
        return request.user.is_authenticated and request.user.is_staff
    except DatabaseError:
        return False


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    checks = {
        "database": database_status(),
        "broker": broker_status(),
        "cache": cache_status(),
    }
    if not checks["database"]["ok"]:
        status = "failed"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    body = {"status": status, **(checks if _may_see_details(request) else {})}
    return JsonResponse(body, status=503 if status == "failed" else 200)
