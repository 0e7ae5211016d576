"""Subscriptions, the events derived from the audit log, and their deliveries."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from audit.models import AuditEntry


class EventKind(models.TextChoices):
    PUBLISHED = "story.published", "Story published"
    UPDATED = "story.updated", "Story published again (a new version)"
    CORRECTED = "story.corrected", "Story corrected"
    RETRACTED = "story.retracted", "Story retracted"
    UNPUBLISHED = "story.unpublished", "Story unpublished"
    CLAIM_REVIEWED = "claim.reviewed", "Claim of a public story reviewed"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    name = models.CharField(max_length=100)
    url = models.URLField("address", max_length=1000)
    events = models.JSONField(
        default=list, help_text="The event kinds sent to this address."
    )
    secret = models.CharField(
        max_length=80,
        default=new_secret,
        editable=False,
        help_text="Signs every delivery (HMAC-SHA256); give it to the receiver.",
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Failed attempts in a row."
    )
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """Something partners may want to hear about, from one audit entry."""

    kind = models.CharField(max_length=30, choices=EventKind.choices)
    # No database constraint: the audit log is append-only (its own triggers
    # refuse deletes and TRUNCATE, and must be what refuses them).
    audit_entry = models.ForeignKey(
        AuditEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    payload = models.JSONField()

    class Meta:
        ordering = ["audit_entry_id", "pk"]
        constraints = [
            # An entry read twice (the sweep's overlap) makes its event once.
            models.UniqueConstraint(
                fields=["audit_entry", "kind"], name="one_event_per_entry_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of story {self.article_id} (entry {self.audit_entry_id})"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="one_delivery_per_event"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription}"


class DeliveryAttempt(models.Model):
    """One try of a delivery: the delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class AuditCursor(models.Model):
    """How far the audit log has been read for events (one row)."""

    last_entry_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Audit log read up to entry {self.last_entry_id}"
