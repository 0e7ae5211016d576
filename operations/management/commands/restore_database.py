"""``manage.py restore_database``: restore a backup_database archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from operations.backups import database_restore
from operations.exceptions import OperationFailed


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_database with pg_restore, in one "
        "transaction, into the database of DATABASE_URL or --database-name on "
        "the same server. A database that already holds tables is refused "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The backup file.")
        parser.add_argument(
            "--database-name",
            default="",
            help="Restore into this database (it must exist) instead of "
            "DATABASE_URL's, on the same server with the same user.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the tables of a database that is not empty.",
        )
        parser.add_argument(
            "--no-owner",
            action="store_true",
            help="Do not restore owners and grants (a server without the "
            "original roles); re-run app_role_sql afterwards.",
        )

    def handle(self, *args, archive, database_name, force, no_owner, **options):
        database = connections[DEFAULT_DB_ALIAS].settings_dict
        name = database_name or database["NAME"]
        try:
            tables = database_restore(
                database=database,
                archive=archive,
                name=name,
                replace=force,
                keep_owners=not no_owner,
            )
        except OperationFailed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {archive} into {name}: the rows of {tables} tables. "
            "Check its audit log with verify_audit (DATABASE_URL pointing at it)."
        )
