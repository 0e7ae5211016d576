"""The Celery application: configured from Django settings (``CELERY_*``)."""

import os

import redis.exceptions
from celery import Celery
from celery import Task as BaseTask
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

# A database, broker, cache or mail server that fails for a moment: worth a retry.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    BrokerError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,  # sockets, SMTP
)


class Task(BaseTask):
    """Every task of the project retries with back-off on transient errors.

    Run in-process (no broker), a task does not retry on the spot, where it
    would hold the request that set it off: it fails, and the outbox sends its
    job again later (``outbox.services``).
    """

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = True
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 8

    def retry(self, *args, exc=None, **kwargs):
        if self.request.is_eager and exc is not None:
            raise exc
        return super().retry(*args, exc=exc, **kwargs)


app = Celery("newsroom", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
