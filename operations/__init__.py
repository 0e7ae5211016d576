"""Operations: what an operator runs against the database, as ``manage.py``
commands: backups and restores with PostgreSQL's own tools
(``operations.backups``) and the grants for an application role that does not
own the tables (``operations.app_role``).

An app of its own, not the project package: ``newsroom/`` holds
configuration only, and these commands hold rules (what a backup must be,
when a restore may overwrite, what the app may do to the audit log).

Dependency rule: ``operations`` reads the database settings, and imports
``audit`` only to name the table its grants keep append-only. No app imports
``operations``.
"""
