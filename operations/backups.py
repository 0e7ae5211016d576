"""Backups with pg_dump, restores with pg_restore.

A backup is one pg_dump archive in the custom format (compressed, restorable
table by table): the whole database as one consistent snapshot, since pg_dump
reads every table in a single repeatable-read transaction (unlike
``dumpdata``, which reads model by model and under traffic writes a dump whose
foreign keys do not hold). Timestamps keep their microseconds, sequences
their positions, and the audit log its triggers.
"""

import datetime
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from operations.exceptions import OperationFailed
from operations.postgres import database_target, run, tool

# pg_dump waits at most this long for a table lock (a migration holding one)
# rather than queueing every later query of the app behind its own.
LOCK_WAIT_TIMEOUT = "60s"

_USER_TABLES = """
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
"""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes
    tables: int  # tables whose rows it holds


def backup_path(directory: Path, database_name: str, when: datetime.datetime) -> Path:
    """Where a backup of ``database_name`` taken at ``when`` goes: names sort
    by time, so the newest is last."""
    stamp = when.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return directory / f"{database_name}-{stamp}.dump"


def _tables_in(pg_restore: str, archive: Path) -> int:
    try:
        listing = run([pg_restore, "--list", archive])
    except OperationFailed as error:
        raise OperationFailed(
            f"{archive} is not a backup this pg_restore can read: {error}"
        ) from None
    return sum(" TABLE DATA " in line for line in listing.splitlines())


def database_backup(*, database: Mapping, destination: Path) -> Backup:
    """Write a backup of ``database`` (a ``DATABASES`` entry) to ``destination``.

    The file appears only once pg_dump has finished and pg_restore has read it
    back, readable by its owner alone (it holds password hashes and email
    addresses). Raises ``OperationFailed`` for a database that is not
    PostgreSQL or cannot be reached, missing client programs, or pg_dump's
    own errors; nothing is left behind then.
    """
    target = database_target(database)
    pg_dump, pg_restore = tool("pg_dump"), tool("pg_restore")
    target.connect().close()  # "no such database" before pg_dump says it worse
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = destination.with_name(f".{destination.name}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(partial, 0o600)  # pg_dump writes into it, keeping this mode
    try:
        run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--lock-wait-timeout={LOCK_WAIT_TIMEOUT}",
                f"--file={partial}",
                f"--dbname={target.conninfo}",
            ],
            target=target,
        )
        tables = _tables_in(pg_restore, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(destination)
    return Backup(path=destination, size=destination.stat().st_size, tables=tables)


def backups_prune(*, directory: Path, database_name: str, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups of ``database_name`` that
    ``backup_path`` named in ``directory``; return the deleted paths."""
    if keep < 1:
        raise OperationFailed("Keep at least one backup.")
    if not directory.is_dir():
        return []
    pattern = re.compile(rf"{re.escape(database_name)}-\d{{8}}T\d{{6}}Z\.dump")
    named = sorted(p for p in directory.iterdir() if pattern.fullmatch(p.name))
    deleted = named[:-keep]
    for path in deleted:
        path.unlink()
    return deleted


def database_restore(
    *,
    database: Mapping,
    archive: Path,
    name: str = "",
    replace: bool = False,
    keep_owners: bool = True,
) -> int:
    """Restore ``archive`` into the database ``name`` (default: ``database``'s
    own) on ``database``'s server; return how many tables' rows it restored.

    The target must exist. One that already holds tables is refused unless
    ``replace``, which drops and recreates what the archive holds (objects
    it does not hold stay). All or nothing: one transaction. Without
    ``keep_owners``, objects belong to the restoring user and grants are
    skipped (for a server without the original roles). Raises
    ``OperationFailed``.
    """
    target = database_target(database, name=name)
    pg_restore = tool("pg_restore")
    if not archive.is_file():
        raise OperationFailed(f"There is no backup file at {archive}.")
    tables = _tables_in(pg_restore, archive)
    with target.connect() as connection:
        existing = connection.execute(_USER_TABLES).fetchone()[0]
    if existing and not replace:
        raise OperationFailed(
            f"The database {target.name!r} already holds {existing} tables. "
            "Restore into a new, empty database (createdb NAME, then "
            "--database-name NAME), or pass --force to replace them."
        )
    arguments = [
        pg_restore,
        "--no-password",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={target.conninfo}",
    ]
    if existing:
        arguments += ["--clean", "--if-exists"]
    if not keep_owners:
        arguments += ["--no-owner", "--no-privileges"]
    run([*arguments, archive], target=target)
    return tables
