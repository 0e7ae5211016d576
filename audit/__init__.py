"""Audit: the append-only log of every transition, review decision, override,
correction and publication.

Dependency rule: ``audit`` imports ``articles`` only, so that ``factcheck``
and ``desk`` can both write to it. Entries are only ever inserted: the model
refuses updates and deletes, and on PostgreSQL a trigger refuses them too.
"""
