"""Follow-up work is written with the change that causes it and is never lost:
not when the broker is down, not when the task fails, not when a run vanishes."""

import datetime
import logging

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from desk.models import Notification
from desk.notifications import notify
from newsroom.celery import app as celery_app
from outbox import services
from outbox.models import Job

pytestmark = pytest.mark.django_db

EMAIL_TASK = "desk.tasks.send_notification_email_task"


@pytest.fixture
def notification_job(editor, django_capture_on_commit_callbacks):
    """A notification (and its email job) written in a committed transaction."""

    def make(*, execute=True):
        with (
            django_capture_on_commit_callbacks(execute=execute),
            transaction.atomic(),
        ):
            (notification,) = notify(
                recipients=[editor], verb="approved", message="Story approved."
            )
        return notification, Job.objects.get(
            task=EMAIL_TASK, kwargs={"notification_id": notification.pk}
        )

    return make


@pytest.fixture
def broker_down(monkeypatch):
    """A broker that refuses connections: sending raises, as kombu does. Undo
    with ``monkeypatch.undo()``: the broker is back."""
    celery_app.conf.task_always_eager = False

    def refuse(name, **options):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(celery_app, "send_task", refuse)
    monkeypatch.setattr(services, "_broker_paused_until", 0.0)
    yield
    celery_app.conf.task_always_eager = True


def test_a_job_rolled_back_with_its_change_never_exists(editor):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[editor], verb="approved", message="Story approved.")
        raise RuntimeError("the change failed")
    assert not Job.objects.exists() and not Notification.objects.exists()


def test_a_committed_job_runs_after_commit_and_is_marked_done(
    notification_job, mailoutbox
):
    notification, job = notification_job()
    job.refresh_from_db()
    assert job.done_at is not None and job.attempts == 1
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_with_the_broker_down_the_commit_stands_and_the_sweep_sends_later(
    notification_job, broker_down, monkeypatch, mailoutbox
):
    notification, job = notification_job()  # no exception reaches the caller
    job.refresh_from_db()
    assert job.done_at is None and job.attempts == 1
    assert "Connection refused" in job.last_error
    assert job.due_at > timezone.now()
    assert Notification.objects.filter(pk=notification.pk).exists()

    # The broker is back: the sweep, once the job is due, sends it exactly once.
    monkeypatch.undo()
    celery_app.conf.task_always_eager = True
    later = job.due_at + datetime.timedelta(seconds=1)
    assert services.jobs_send_due(now=later) == 1
    assert services.jobs_send_due(now=later) == 0
    job.refresh_from_db()
    assert job.done_at is not None and job.attempts == 2
    assert len(mailoutbox) == 1


def test_after_one_refusal_a_process_does_not_wait_on_the_broker_again(
    notification_job, broker_down, monkeypatch
):
    notification_job()
    calls = []
    monkeypatch.setattr(celery_app, "send_task", lambda *a, **k: calls.append(a))
    _, second = notification_job()
    assert calls == []  # paused: left for the sweep, no time spent on the broker
    second.refresh_from_db()
    assert second.done_at is None and "unavailable" in second.last_error


def test_a_failing_task_is_recorded_and_sent_again_after_a_back_off(
    notification_job, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.outbox.test_services.DownMailServer"
    _, job = notification_job()
    job.refresh_from_db()
    assert job.done_at is None and "mail server down" in job.last_error
    assert job.due_at > timezone.now()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.jobs_send_due(now=job.due_at)
    job.refresh_from_db()
    assert job.done_at is not None and len(mailoutbox) == 1


def test_the_sweep_gives_up_after_the_last_attempt_and_says_so(
    notification_job, settings, caplog, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "tests.outbox.test_services.DownMailServer"
    _, job = notification_job()
    job.refresh_from_db()
    services.jobs_send_due(now=job.due_at)
    job.refresh_from_db()
    assert job.attempts == 2 and job.failed_at is None
    with caplog.at_level(logging.ERROR, logger="outbox.services"):
        assert services.jobs_send_due(now=job.due_at) == 0
    job.refresh_from_db()
    assert job.failed_at is not None and job.state == "failed"
    assert f"Gave up on 1 background job(s) after 2 attempts: [{job.pk}]" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.job_retry(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "done"


def test_a_job_sent_but_never_finished_is_sent_again_when_overdue(
    notification_job, settings, mailoutbox
):
    """A worker killed mid-task leaves its job pending; the sweep sends it again."""
    _, job = notification_job(execute=False)
    services.jobs_send_due(now=timezone.now())  # first send; imagine it is lost
    Job.objects.filter(pk=job.pk).update(done_at=None)
    job.refresh_from_db()
    assert services.jobs_send_due(now=job.due_at - datetime.timedelta(seconds=1)) == 0
    assert services.jobs_send_due(now=job.due_at) == 1


class DownMailServer:
    """An email backend whose server refuses connections."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
