"""Cursor pagination: a page ends with an opaque cursor naming its last row.

A cursor is the last row's sort key, so a page is a keyset query whatever
the depth (no OFFSET) and rows added meanwhile never shift a page.
"""

import base64
import binascii
import datetime
import json

from django.http import QueryDict

_INVALID = "This cursor is not valid: start again from the first page."


class BadCursor(ValueError):
    """A cursor this API did not make (400)."""


def encode_cursor(*key) -> str:
    values = [v.isoformat() if isinstance(v, datetime.datetime) else v for v in key]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *types) -> tuple:
    """The sort key in ``cursor``, each value of the given type (``datetime``,
    ``int`` or ``str``); ``BadCursor`` if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursor(_INVALID) from None
    if not isinstance(values, list) or len(values) != len(types):
        raise BadCursor(_INVALID)
    try:
        return tuple(
            _parse(value, kind) for value, kind in zip(values, types, strict=True)
        )
    except (TypeError, ValueError, OverflowError):
        raise BadCursor(_INVALID) from None


def _parse(value, kind):
    if kind is datetime.datetime:
        parsed = datetime.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed.astimezone(datetime.UTC)  # OverflowError at the edges
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(kind)
    if kind is int and not 0 <= value < 2**63:
        raise ValueError("out of range")
    return value


def next_url(request, cursor: str | None) -> str | None:
    """This request's address with ``cursor`` in place of its own, or None."""
    if cursor is None:
        return None
    query: QueryDict = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
