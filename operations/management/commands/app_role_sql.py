"""``manage.py app_role_sql ROLE``: print the grants for the app's own role."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from operations.app_role import app_role_sql
from operations.exceptions import OperationFailed


class Command(BaseCommand):
    help = (
        "Print the SQL that lets ROLE run the app without owning its tables "
        "(read and append only on the audit log). Run it as the tables' owner "
        "after every migrate, e.g. piped into psql. Changes nothing itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The app's database role.")
        parser.add_argument("--schema", default="public")

    def handle(self, *args, role: str, schema: str, **options):
        database = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        try:
            statements = app_role_sql(role=role, database_name=database, schema=schema)
        except OperationFailed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"-- Run as the owner of {database}'s tables, after every migrate."
        )
        for statement in statements:
            self.stdout.write(f"{statement};")
