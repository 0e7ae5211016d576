"""``manage.py verify_audit``: walk the audit log's hash chain."""

from django.core.management.base import BaseCommand, CommandError

from audit.chain import chain_problems
from audit.selectors import chain_rows


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain and report every entry deleted, altered "
        "or inserted outside the application. Exits non-zero when it finds one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            default="",
            metavar="HASH",
            help="A head hash printed by an earlier run and kept away from the "
            "database: it must still be in the chain.",
        )

    def handle(self, *args, anchor: str, **options):
        count, head = 0, None

        def walked(rows):
            nonlocal count, head
            for head in rows:
                count += 1
                yield head

        problems = 0
        for problem in chain_problems(walked(chain_rows()), anchor=anchor.strip()):
            problems += 1
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"The audit log has been tampered with: {problems} problem(s) "
                f"in {count} entries."
            )
        if head is None:
            self.stdout.write("The audit log is empty.")
            return
        self.stdout.write(
            f"The audit log is intact: {count} entries, head #{head['id']} "
            f"{head['entry_hash']}. Keep that hash away from this database and "
            "pass it as --anchor next time."
        )
