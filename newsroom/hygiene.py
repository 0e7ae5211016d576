"""Input hygiene: what no text or date anywhere in Newsroom may hold.

Pure infrastructure, no newsroom rule, which is why it sits in the project
package: every app may import it (as they import ``newsroom.celery``) and it
imports none of them.

- Control characters: C0 and C1 controls other than tab, CR and LF (and lone
  surrogates) have no meaning in a story, break XML (Atom feeds, sitemaps) and
  PostgreSQL refuses NUL outright. ``ControlCharacterMiddleware`` strips them
  from every query parameter and form field of every page (public, desk,
  admin), so a form never sees them; the API (``/api/``) refuses them itself
  with a 422 its schema documents, so the middleware leaves it alone; agency
  ingest strips them; output that must be XML strips them again, for text
  stored by any other path.
- Query parameters: values are cut at ``MAX_QUERY_VALUE`` characters (about
  what gunicorn's request line of 4094 bytes lets through anyway) and
  ``MAX_QUERY_WORDS`` words. No filter, page number or search needs more, and
  the admin's search makes a condition of every word: SQLite refused a LIKE
  pattern over 50,000 bytes and an expression over 1,000 deep (500s).
- Dates: years outside 1900 to 2200 are typing mistakes, and a year-1 time in a
  zone east of UTC is a BC timestamp the database driver cannot read back.
  Date and time fields of models and forms carry ``validate_sane_date``.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.http import QueryDict

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
DATE_RANGE_MESSAGE = f"Give a date between the years {EARLIEST_YEAR} and {LATEST_YEAR}."
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_REFUSED_NOT_STRIPPED = ("/api/",)
MAX_QUERY_VALUE, MAX_QUERY_WORDS = 4096, 32


def strip_control_characters(text: str) -> str:
    """``text`` without C0/C1 controls other than tab, CR and LF."""
    return CONTROL_CHARACTERS.sub("", text)


def validate_sane_date(value: datetime.date) -> None:
    """Refuse a date (or a time, as in UTC) outside the years 1900 to 2200."""
    if isinstance(value, datetime.datetime):
        try:
            value = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValidationError(DATE_RANGE_MESSAGE, code="date_range") from None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def _cut(value: str) -> str:
    value = value[:MAX_QUERY_VALUE]
    words = value.split()
    return " ".join(words[:MAX_QUERY_WORDS]) if len(words) > MAX_QUERY_WORDS else value


def _cleaned(data: QueryDict, *, cut: bool = False) -> QueryDict:
    """``data`` without control characters; with ``cut``, values cut short."""

    def clean(value):
        if not isinstance(value, str):
            return value  # an uploaded file
        return strip_control_characters(_cut(value) if cut else value)

    if all(
        clean(key) == key and clean(value) == value
        for key, values in data.lists()
        for value in values
    ):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(clean(key), [clean(value) for value in values])
    cleaned._mutable = False
    return cleaned


class ControlCharacterMiddleware:
    """Strip control characters from every query parameter and form field, and
    cut query parameters short (``MAX_QUERY_VALUE``, ``MAX_QUERY_WORDS``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(_REFUSED_NOT_STRIPPED):
            return self.get_response(request)
        request.GET = _cleaned(request.GET, cut=True)
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            request.POST = _cleaned(request.POST)
        return self.get_response(request)
