"""Grants for running the app as a database role that does not own the tables.

The owner (the role that runs ``migrate``) keeps ALTER, DROP and TRUNCATE;
the app role may read and write the tables, but only read and add to the
audit log: it cannot update, delete or truncate entries, nor drop or disable
the triggers that guard them (only a table's owner can).
"""

import re

from audit.models import AuditEntry
from operations.exceptions import OperationFailed

_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_$]{0,62}")


def _identifier(name: str) -> str:
    if not _PLAIN_NAME.fullmatch(name):
        raise OperationFailed(
            f"{name!r} is not a plain PostgreSQL name (lower-case letters, digits "
            "and underscores, not starting with a digit)."
        )
    return f'"{name}"'


def app_role_sql(*, role: str, database_name: str, schema: str = "public") -> list[str]:
    """The statements the owner runs, after every ``migrate``, to give ``role``
    what the app needs and no more. Idempotent."""
    app, schema = _identifier(role), _identifier(schema)
    database = '"' + database_name.replace('"', '""') + '"'
    audit_log = f"{schema}.{_identifier(AuditEntry._meta.db_table)}"
    return [
        f"GRANT CONNECT ON DATABASE {database} TO {app}",
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} "
        f"TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        # Tables and sequences that later migrations create, by this owner.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        # The audit log: read and append, nothing else.
        f"REVOKE ALL ON {audit_log} FROM {app}",
        f"GRANT SELECT, INSERT ON {audit_log} TO {app}",
    ]
