"""Running PostgreSQL's client tools against a Django database setting."""

import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

import psycopg
from psycopg import conninfo, pq

from operations.exceptions import OperationFailed

# Connection options of DATABASE_URL that libpq (and so pg_dump) understands;
# the others (``pool``...) are psycopg's or Django's. The password goes in
# the environment, never on a command line others can read in ``ps``.
_LIBPQ_KEYWORDS = {option.keyword.decode() for option in pq.Conninfo.get_defaults()} - {
    "password",
    "dbname",
}


@dataclass(frozen=True)
class Target:
    """One PostgreSQL database, as libpq and its tools reach it."""

    name: str
    conninfo: str  # without the password
    password: str

    @property
    def environ(self) -> dict[str, str]:
        environ = dict(os.environ)
        if self.password:
            environ["PGPASSWORD"] = self.password
        return environ

    def connect(self) -> psycopg.Connection:
        """A connection to the database, or ``OperationFailed`` saying why not."""
        try:
            return psycopg.connect(
                self.conninfo, password=self.password or None, autocommit=True
            )
        except psycopg.OperationalError as error:
            raise OperationFailed(
                f"Cannot connect to the database {self.name!r}: {str(error).strip()}"
            ) from None


def database_target(database: Mapping, *, name: str = "") -> Target:
    """The ``Target`` for a ``DATABASES`` entry, or another database ``name`` on
    the same server. Raises ``OperationFailed`` unless it is PostgreSQL."""
    if not database["ENGINE"].endswith("postgresql"):
        raise OperationFailed(
            "Backups and restores here use PostgreSQL's pg_dump and pg_restore, "
            f"and this database is {database['ENGINE']} ({database['NAME']}). "
            "Set DATABASE_URL to the PostgreSQL database."
        )
    name = name or database["NAME"]
    options = {
        key: value
        for key, value in database.get("OPTIONS", {}).items()
        if key in _LIBPQ_KEYWORDS
    }
    params = {
        "dbname": name,
        "host": database.get("HOST"),
        "port": database.get("PORT"),
        "user": database.get("USER"),
        **options,
    }
    return Target(
        name=name,
        conninfo=conninfo.make_conninfo(
            "", **{key: value for key, value in params.items() if value}
        ),
        password=database.get("PASSWORD") or "",
    )


def tool(name: str) -> str:
    """The path of a PostgreSQL client program, or ``OperationFailed``."""
    path = shutil.which(name)
    if path is None:
        raise OperationFailed(
            f"{name} was not found on PATH. Install PostgreSQL's client programs, "
            "of the server's major version or newer (Debian: apt-get install "
            "postgresql-client)."
        )
    return path


def run(arguments: list, *, target: Target | None = None) -> str:
    """Run a client program; its output, or ``OperationFailed`` with its error."""
    completed = subprocess.run(
        [str(argument) for argument in arguments],
        env=target.environ if target else None,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        program = os.path.basename(str(arguments[0]))
        raise OperationFailed(
            f"{program} failed (exit {completed.returncode}): "
            f"{completed.stderr.strip() or completed.stdout.strip()}"
        )
    return completed.stdout
