"""Turn a database that cannot answer into a clear, retryable answer.

A request that meets a lock held too long (``lock_timeout``), a query stopped
by ``statement_timeout`` or a database that cannot be reached gets a 503 with
``Retry-After`` and a page saying what to do, instead of a stalled worker or
a bare 500. Nothing was written: the transaction that failed rolled back.

Views' errors are caught by the middleware (in debug mode too: the demo's
SQLite says "database is locked"); anything else that reaches Django's 500
handler (a session read in middleware, say) by ``server_error``.
"""

import logging
import sys
from time import monotonic

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# PostgreSQL's SQLSTATE codes for a lock not granted in time, a query cancelled
# (statement_timeout), a serialisation failure and a deadlock: someone else is
# busy with the same rows.
_BUSY = {"55P03", "57014", "40001", "40P01"}
# An outage answers every request with the same error: tell the operators
# (ERROR, which reaches ADMINS and Sentry) once a minute, not once a request.
_REPORT_EVERY = 60.0
_reported_at = -_REPORT_EVERY


def database_unavailable(request, error: Exception):
    """The 503 page for ``error``, or None if it is not the database's."""
    global _reported_at
    if not isinstance(error, OperationalError | InterfaceError):
        return None
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    busy = code in _BUSY or "database is locked" in str(error)
    level = logging.WARNING
    if not busy and monotonic() - _reported_at >= _REPORT_EVERY:
        level, _reported_at = logging.ERROR, monotonic()
    logger.log(
        level,
        "%s %s: database %s: %s",
        request.method,
        request.path,
        "busy" if busy else "unavailable",
        error,
    )
    retry_after = 5 if busy else 30
    # Rendered without the request: its context processors read the database.
    page = render_to_string("503.html", {"busy": busy, "retry_after": retry_after})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(retry_after)
    response._has_been_logged = True  # logged above, once: no error per request
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable(request, exception)


def server_error(request, template_name="500.html"):
    """Django's 500 handler, but a database outage is a 503 (see above)."""
    response = database_unavailable(request, sys.exc_info()[1])
    return response or django_server_error(request, template_name)
