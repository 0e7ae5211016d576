"""One row per piece of follow-up work; see the package docstring."""

import uuid

from django.db import models
from django.db.models import Q


class Job(models.Model):
    """A task to run once the change that wrote this row has committed.

    A job is pending until a run of its task succeeds (``done_at``). Each send
    sets ``due_at`` to when it should have finished; the sweep sends again any
    job still pending after that, and gives up after ``OUTBOX_MAX_ATTEMPTS``
    sends (``failed_at``), which the desk and the admin show.
    """

    task = models.CharField(max_length=200, help_text="Dotted name of a Celery task.")
    kwargs = models.JSONField(default=dict, blank=True)
    # What the job is about, e.g. "propose-claims:12", so pages can say what is
    # still pending for a story; not unique (a job runs the work as it stands).
    key = models.CharField(max_length=200, blank=True, db_index=True)
    # The id of every Celery message sent for this job: a run reports back by it.
    task_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(help_text="When to send (again) unless done.")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep's question: what is pending and due?
            models.Index(
                fields=["due_at"],
                condition=Q(done_at__isnull=True, failed_at__isnull=True),
                name="outbox_job_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.kwargs}"

    @property
    def state(self) -> str:
        if self.done_at:
            return "done"
        if self.failed_at:
            return "failed"
        return "pending"
