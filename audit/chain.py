"""The audit log's hash chain: what an entry's hash covers, and how a walk
along the log finds entries deleted, altered or inserted.

Each entry stores ``prev_hash`` (the hash of the entry before it, by id) and
``entry_hash``, the SHA-256 of its canonical content, which includes
``prev_hash``: rewriting one entry means rewriting every entry after it.

Every stored hash, and the migration that chained the entries written before
the chain existed, depend on the exact form below: changing it needs a
migration that rechains the log.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping

GENESIS = "0" * 64  # The ``prev_hash`` of the log's first entry.

CHAINED_FIELDS = (
    "prev_hash",
    "actor_id",
    "action",
    "article_id",
    "claim_id",
    "from_state",
    "to_state",
    "message",
    "data",
    "created_at",
)


def _as_stored(value):
    # PostgreSQL's jsonb keeps numbers as numeric and hands an integral one
    # back as an int (1e+20 is read as 100000000000000000000): hash integral
    # floats as ints so an entry hashes the same before and after the trip.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _as_stored(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_stored(item) for item in value]
    return value


def entry_hash(values: Mapping[str, object]) -> str:
    """The SHA-256 (hex) of an entry's canonical content, from ``values`` holding
    every name in ``CHAINED_FIELDS`` (``created_at`` an aware datetime)."""
    content = {name: values[name] for name in CHAINED_FIELDS}
    created_at: datetime.datetime = content["created_at"]
    content["created_at"] = created_at.astimezone(datetime.UTC).isoformat(
        timespec="microseconds"
    )
    content["data"] = _as_stored(content["data"])
    canonical = json.dumps(
        content,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def entry_hash_of(entry) -> str:
    """``entry_hash`` of a model instance (or a migration's historical one)."""
    return entry_hash({name: getattr(entry, name) for name in CHAINED_FIELDS})


def chain_problems(
    rows: Iterable[Mapping[str, object]], *, anchor: str = ""
) -> Iterator[str]:
    """Walk the log in id order and describe every break in its chain.

    ``rows`` hold ``id``, ``entry_hash`` and every name in ``CHAINED_FIELDS``.
    After a break the walk goes on from the stored hash, so one tampered entry
    is reported once, not with every entry after it. ``anchor``, a head hash
    recorded earlier away from the database, must still be in the chain: that
    catches entries cut from the end, or a chain rewritten from the start.
    """
    expected = GENESIS
    last = before_last = None  # (id, entry_hash) of the two entries walked last
    broken = None  # how the last entry breaks the chain, until the next explains it
    anchor_seen = not anchor
    for row in rows:
        pk, stored, prev = row["id"], row["entry_hash"], row["prev_hash"]
        skips_last = before_last is not None and prev == before_last[1]
        if prev != expected and skips_last:
            broken = None  # the last entry's own break: it does not belong
            yield f"#{last[0]} inserted: #{pk} follows #{before_last[0]}, not it"
        if broken:
            yield broken
            broken = None
        if entry_hash(row) != stored:
            yield f"#{pk} altered: its content no longer matches its hash"
        if prev != expected and not skips_last:
            broken = (
                f"#{pk} does not start the chain: entries before it were deleted"
                if last is None
                else f"#{pk} does not follow #{last[0]}: entries between them were "
                f"deleted, or #{last[0]} was rewritten"
            )
        anchor_seen = anchor_seen or stored == anchor
        before_last, last, expected = last, (pk, stored), stored
    if broken:
        yield broken
    if not anchor_seen:
        yield (
            f"the recorded head {anchor} is no longer in the log: entries were "
            "deleted or rewritten since it was recorded"
        )
