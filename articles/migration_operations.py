"""Helpers for the apps' migrations (kept tiny and stable: migrations import them)."""


def run_on_postgresql(sql: str):
    """A ``RunPython`` function that executes ``sql`` on PostgreSQL only.

    For features SQLite lacks (plpgsql triggers, GIN indexes); there the models
    do without them.
    """

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run
