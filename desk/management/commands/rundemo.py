"""``manage.py rundemo``: the development server with Celery beat running in it.

Without a broker, tasks run in-process; periodic work (publishing scheduled
stories, sending overdue jobs again, the daily reminders and link checks)
needs a scheduler too. This runs Celery's own beat as a thread of the serving
process, with an in-memory schedule, so the demo keeps time with nothing else
to install. With a broker, run a worker and ``celery beat`` instead.
"""

import threading

from celery.beat import Scheduler, Service
from django.core.management.base import CommandError
from django.core.management.commands.runserver import Command as RunserverCommand
from django.db import connections

from newsroom.celery import app


class InprocessBeat(threading.Thread):
    """Celery beat with an in-memory schedule, in a daemon thread: due tasks
    run in this thread, in-process, as every task does without a broker."""

    def __init__(self):
        super().__init__(name="Beat", daemon=True)
        self.service = Service(app, max_interval=1, scheduler_cls=Scheduler)

    def run(self):
        try:
            self.service.start()
        finally:
            connections.close_all()  # this thread's own database connections

    def stop(self):
        self.service.stop(wait=True)
        self.join(timeout=10)


def start_inprocess_beat() -> InprocessBeat:
    beat = InprocessBeat()
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
