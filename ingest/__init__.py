"""Agency ingest: wire feeds polled into drafts, never duplicated.

Dependency rule: ``ingest`` sits at the top with ``api`` and ``webhooks``: it
creates and revises drafts only through ``desk.services`` and tells people
through ``desk.notifications``; no app imports it.
"""
