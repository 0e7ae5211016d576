"""JSON responses with validators, answered 304 when the client's copy is current.

Every GET of the API carries an ``ETag`` (a digest of the body) and a
``Last-Modified``; ``If-None-Match`` and ``If-Modified-Since`` are honoured
by Django's own rules (``get_conditional_response``). Cached copies are
answered the same way in front of Django (``reader.caching``).
"""

import datetime
import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from pydantic import BaseModel

JSON = "application/json"


def json_response(
    request, body: str | bytes, *, etag: str, last_modified: datetime.datetime
) -> HttpResponse:
    response = HttpResponse(body, content_type=JSON)
    response["ETag"] = quote_etag(etag)
    modified = int(last_modified.timestamp())
    response["Last-Modified"] = http_date(modified)
    # Partners' pages may read the public API from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=modified, response=response
    )


def model_response(
    request, model: BaseModel, *, last_modified: datetime.datetime
) -> HttpResponse:
    """A schema object as JSON, its ETag the digest of the body."""
    body = model.model_dump_json(by_alias=True)
    etag = hashlib.sha256(body.encode()).hexdigest()[:32]
    return json_response(request, body, etag=etag, last_modified=last_modified)
