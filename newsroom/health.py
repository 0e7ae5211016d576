"""``/healthz``: is the database reachable, is the task broker reachable."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from newsroom.celery import app as celery_app


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


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not; broker state alongside."""
    database = database_status()
    broker = broker_status()
    status = 200 if database["ok"] else 503
    return JsonResponse(
        {
            "status": "ok" if database["ok"] and broker["ok"] else "degraded",
            "database": database,
            "broker": broker,
        },
        status=status,
    )
