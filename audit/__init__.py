"""Audit: the append-only, hash-chained log of every transition, review
decision, override, correction and publication.

Dependency rule: ``audit`` imports ``articles`` only, so that ``factcheck``
and ``desk`` can both write to it.

Entries are only ever inserted, through ``audit.services.audit_record``: the
model refuses updates and deletes, and on PostgreSQL triggers refuse UPDATE,
DELETE and TRUNCATE, refuse a ``created_at`` outside the writing transaction,
and refuse an entry that does not extend the chain. Each entry stores the hash
of the one before it and the hash of its own content (``audit.chain``);
``manage.py verify_audit`` walks the chain and reports any entry deleted,
altered or inserted behind the application's back.

Entries commit in id order. ``audit_record`` takes the chain lock (a
transaction-level advisory lock on PostgreSQL; SQLite has one writer at a
time) before it draws an id, and holds it until the writing transaction
commits or rolls back; so no entry with a lower id can commit after one with a
higher id, and a reader that pages through the log by id (say, an event feed
remembering the last id it sent) never skips an entry that commits late. Ids
may have gaps (a rolled-back transaction) but never late arrivals. The price:
audit writes are serialised; keep transactions that write the log short.
"""
