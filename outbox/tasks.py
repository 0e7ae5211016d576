"""The outbox sweep, run by beat."""

from celery import shared_task

from outbox import services


@shared_task
def send_due_jobs_task() -> int:
    """Send again every job that should have finished by now and has not."""
    return services.jobs_send_due()
