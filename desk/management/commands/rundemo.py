"""``manage.py rundemo``: the development server with Celery beat running in it.

Without a broker, tasks run in-process; periodic work (publishing scheduled
stories, sending overdue jobs again, the daily reminders and link checks)
needs a scheduler too. This runs Celery's own beat as a thread of the serving
process, with an in-memory schedule, so the demo keeps time with nothing else
to install. With a broker, run a worker and ``celery beat`` instead.
"""

from celery.beat import EmbeddedService
from django.core.management.base import CommandError
from django.core.management.commands.runserver import Command as RunserverCommand

from newsroom.celery import app


def start_inprocess_beat():
    """Start beat in a daemon thread of this process; its tasks run here."""
    beat = EmbeddedService(app, thread=True, scheduler_cls="celery.beat:Scheduler")
    beat.start()
    return beat


class Command(RunserverCommand):
    help = "Serve the demo with scheduled work (beat) running in-process."

    def inner_run(self, *args, **options):
        # Runs in the serving process (the autoreloader's child), once per start.
        if not app.conf.task_always_eager:
            raise CommandError(
                "rundemo runs tasks in-process: unset REDIS_URL and "
                "CELERY_BROKER_URL, or run a worker and beat with the broker."
            )
        start_inprocess_beat()
        self.stdout.write("Scheduled work runs in this process (Celery beat).")
        super().inner_run(*args, **options)
