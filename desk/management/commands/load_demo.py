from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from desk.demo_loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (accounts, sections, sources, seed story). Idempotent."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo refuses to run with DEBUG off: it creates accounts with a "
                "published password. Use it on a local demo only."
            )
        result = load_demo()
        created = ", ".join(f"{count} {name}" for name, count in result.created.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo newsroom ready (created: {created}).")
        )
        self.stdout.write(
            f"Accounts (password '{DEMO_PASSWORD}'): {', '.join(result.accounts)}"
        )
