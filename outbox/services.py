"""Writing, sending and settling jobs.

``outbox_enqueue`` is the only way the apps start background work. The rest
is plumbing: ``job_send`` hands a job to Celery (or, without a broker, runs it
in-process), the Celery signal receivers write each run's outcome back, and
``jobs_send_due`` is the beat sweep that sends again whatever is overdue.
"""

import datetime
import logging
import uuid
from time import monotonic

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import Job

logger = logging.getLogger(__name__)

# After the broker refused a message, this process sends nothing for a while:
# a request must not wait for a broker timeout per job. The sweep catches up.
BROKER_PAUSE_SECONDS = 10.0
_broker_paused_until = 0.0


def celery_app():
    from newsroom.celery import app  # the project's app, configured from settings

    return app


def _backoff(attempts: int) -> datetime.timedelta:
    """Wait before sending a job again after its ``attempts``-th send failed."""
    return datetime.timedelta(seconds=min(5 * 2 ** max(attempts - 1, 0), 900))


def outbox_enqueue(*, task: str, kwargs: dict | None = None, key: str = "") -> Job:
    """Write a job for ``task`` in the current transaction; it is sent after commit.

    ``kwargs`` must be JSON (ids, not objects). If the transaction rolls back,
    the job never existed; if it commits, the job runs at least once, whatever
    happens to the broker or the workers meanwhile, so tasks must be safe to
    run twice.
    """
    job = Job.objects.create(
        task=task, kwargs=kwargs or {}, key=key, due_at=timezone.now()
    )
    transaction.on_commit(lambda: job_send(job), robust=True)
    return job


def job_send(job: Job) -> bool:
    """Send ``job`` now; False when the broker could not take it (sent again later).

    Without a broker (the demo, the plain test run) the task runs here and
    now; its failure is recorded on the job, never raised to the caller.
    """
    global _broker_paused_until
    now = timezone.now()
    sent = Job.objects.filter(pk=job.pk, done_at__isnull=True).update(
        attempts=F("attempts") + 1,
        last_sent_at=now,
        due_at=now + datetime.timedelta(seconds=settings.OUTBOX_RESEND_SECONDS),
    )
    if not sent:  # Done meanwhile (a sweep and a relay crossing).
        return True
    app = celery_app()
    if app.conf.task_always_eager:
        app.tasks[job.task].apply(
            kwargs=job.kwargs, task_id=str(job.task_id), throw=False
        )
        return True
    if monotonic() < _broker_paused_until:
        _send_failed(job, now, "broker unavailable a moment ago")
        return False
    try:
        app.send_task(
            job.task, kwargs=job.kwargs, task_id=str(job.task_id), retry=False
        )
    except Exception as error:  # Whatever the transport raises when it is down.
        _broker_paused_until = monotonic() + BROKER_PAUSE_SECONDS
        logger.warning("Job %s not sent, will be sent again: %s", job.pk, error)
        _send_failed(job, now, f"not sent: {error}")
        return False
    return True


def _send_failed(job: Job, now: datetime.datetime, reason: str) -> None:
    attempts = Job.objects.filter(pk=job.pk).values_list("attempts", flat=True).first()
    Job.objects.filter(pk=job.pk, done_at__isnull=True).update(
        due_at=now + _backoff(attempts or 1), last_error=reason[:1000]
    )


def jobs_send_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Send again every pending job past its due time (oldest first, ``limit`` a
    run); give up on those sent ``OUTBOX_MAX_ATTEMPTS`` times. Returns how many
    were sent. Two sweeps at once do not send a job twice: each claims its
    batch under row locks by moving its due time on."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Job.objects.select_for_update(skip_locked=True)
            .filter(done_at__isnull=True, failed_at__isnull=True, due_at__lte=now)
            .order_by("due_at")[:limit]
        )
        exhausted = [j.pk for j in due if j.attempts >= settings.OUTBOX_MAX_ATTEMPTS]
        if exhausted:
            Job.objects.filter(pk__in=exhausted).update(failed_at=now)
            logger.error(
                "Gave up on %d background job(s) after %d attempts: %s",
                len(exhausted),
                settings.OUTBOX_MAX_ATTEMPTS,
                exhausted,
            )
        to_send = [job for job in due if job.pk not in exhausted]
        Job.objects.filter(pk__in=[job.pk for job in to_send]).update(
            due_at=now + datetime.timedelta(seconds=settings.OUTBOX_RESEND_SECONDS)
        )
    for job in to_send:
        job_send(job)
    return len(to_send)


def job_retry(*, job_id: int) -> Job:
    """Send a job that was given up on again, from its first attempt."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.done_at is None:
            job.failed_at, job.attempts, job.due_at = None, 0, timezone.now()
            job.save(update_fields=["failed_at", "attempts", "due_at"])
            transaction.on_commit(lambda: job_send(job), robust=True)
    return job


def _job(task_id):
    try:
        task_uuid = uuid.UUID(str(task_id))
    except ValueError:  # Not one of ours: outbox ids are UUIDs.
        return Job.objects.none()
    return Job.objects.filter(task_id=task_uuid, done_at__isnull=True)


def job_succeeded(sender=None, **kwargs) -> None:
    """Celery ``task_success``: the job (if the run was one) is done."""
    _job(sender.request.id).update(done_at=timezone.now(), last_error="")


def job_retrying(sender=None, request=None, reason=None, **kwargs) -> None:
    """Celery ``task_retry``: the task will run again by itself; do not send it
    again before that retry has had its time."""
    when = getattr(reason, "when", None)
    now = timezone.now()
    if isinstance(when, datetime.datetime):
        wait = max((when - now).total_seconds(), 0)
    else:
        wait = float(when or 0)
    _job(request.id).update(
        due_at=now + datetime.timedelta(seconds=wait + settings.OUTBOX_RESEND_SECONDS),
        last_error=f"retrying: {reason}"[:1000],
    )


def job_failed(sender=None, task_id=None, exception=None, **kwargs) -> None:
    """Celery ``task_failure``: the run gave up; the sweep sends the job again
    after a back-off."""
    jobs = _job(task_id)
    attempts = jobs.values_list("attempts", flat=True).first()
    if attempts is None:
        return
    jobs.update(
        due_at=timezone.now() + _backoff(attempts), last_error=repr(exception)[:1000]
    )
