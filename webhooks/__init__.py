"""Webhooks: other systems told, signed, when stories change.

Events are derived from the audit log (``audit.AuditEntry``), which every
service already writes in the transaction of its change, so no service calls
this app. Each event is delivered to each subscription that wants it by a
Celery task, enqueued through the outbox, retried with exponential back-off.

Dependency rule: ``webhooks`` sits at the top with ``api`` and ``ingest``; it
may import every other app and none imports it.
"""
