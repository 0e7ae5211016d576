"""``manage.py backup_database``: a pg_dump archive of the project's database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from operations.backups import backup_path, backups_prune, database_backup
from operations.exceptions import OperationFailed


class Command(BaseCommand):
    help = (
        "Back up the database (DATABASE_URL) with pg_dump: one consistent "
        "snapshot in pg_dump's custom format, written to BACKUP_DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: BACKUP_DIR/NAME-YYYYMMDDTHHMMSSZ.dump).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Then delete all but the N newest backups in BACKUP_DIR.",
        )

    def handle(self, *args, output: Path | None, keep: int | None, **options):
        database = connections[DEFAULT_DB_ALIAS].settings_dict
        directory = Path(settings.BACKUP_DIR)
        destination = output or backup_path(directory, database["NAME"], timezone.now())
        try:
            backup = database_backup(database=database, destination=destination)
            pruned = (
                backups_prune(
                    directory=directory, database_name=database["NAME"], keep=keep
                )
                if keep
                else []
            )
        except OperationFailed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up {database['NAME']} to {backup.path}: {backup.size:,} bytes, "
            f"the rows of {backup.tables} tables."
        )
        for path in pruned:
            self.stdout.write(f"Deleted the older backup {path}.")
