"""The one way to write the audit log."""

import datetime
import json

from django.db import connection, transaction
from django.utils import timezone

from audit.chain import GENESIS, entry_hash_of
from audit.models import AuditEntry

# Key of the PostgreSQL advisory lock that serialises appends to the chain
# (any constant works; this one is "audit" in ASCII).
CHAIN_LOCK_KEY = 0x6175646974


def _lock_chain_head() -> tuple[str, datetime.datetime]:
    """Take the chain lock until the transaction ends; return the head's hash
    and the time to stamp the new entry with."""
    if connection.vendor != "postgresql":
        # SQLite transactions here begin IMMEDIATE: one writer at a time holds
        # the whole database, so the head read below cannot go stale.
        head = AuditEntry.objects.order_by("-pk").values_list("entry_hash", flat=True)
        return head.first() or GENESIS, timezone.now()
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        # A statement of its own, so its snapshot is taken after the wait and
        # sees the entry the previous lock holder committed.
        cursor.execute(
            f"SELECT (SELECT entry_hash FROM {table} ORDER BY id DESC LIMIT 1), "
            "clock_timestamp()"
        )
        head, now = cursor.fetchone()
    return head or GENESIS, now


def audit_record(
    *,
    actor,
    action: str,
    article,
    claim=None,
    from_state: str = "",
    to_state: str = "",
    message: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Append an entry to the chain. Call inside the transaction of the change it
    records: the chain stays locked until that transaction ends, so entries
    commit in id order (see ``audit``). Raises ``TypeError`` or ``ValueError``
    for ``data`` that JSON cannot hold."""
    with transaction.atomic():
        prev_hash, now = _lock_chain_head()
        entry = AuditEntry(
            actor=actor,
            action=action,
            article=article,
            claim_id=claim.pk if claim is not None else None,
            from_state=from_state,
            to_state=to_state,
            message=message,
            # Hashed as the database will hand it back (tuples become lists,
            # keys strings).
            data=json.loads(json.dumps(data or {}, allow_nan=False)),
            prev_hash=prev_hash,
            created_at=now,
        )
        entry.entry_hash = entry_hash_of(entry)
        entry.save(force_insert=True)
    return entry
