from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from articles.models import Article


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("Audit entries are append-only.")

    def delete(self):
        raise ValidationError("Audit entries are append-only.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        TRANSITION = "transition", "Workflow transition"
        PUBLICATION = "publication", "Publication"
        REVIEW = "review", "Claim review decision"
        CLAIM_REOPENED = "claim_reopened", "Claim back to review after an edit"
        CLAIM_CHANGED = "claim_changed", "Claim attribution or span changed"
        CLAIM_DISMISSED = "claim_dismissed", "Claim dismissed"
        ASSIGNMENT = "assignment", "Assignment"
        OVERRIDE = "override", "Approval override"
        CORRECTION = "correction", "Correction"
        COMMENT = "comment", "Editorial comment"
        ERROR_REPORT = "error_report", "Reader's error report handled"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the system (e.g. scheduled publishing).",
    )
    created_at = models.DateTimeField(
        db_index=True,
        editable=False,
        help_text="Read from the database's clock when the entry is written; "
        "on PostgreSQL the database refuses any other time.",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="audit_entries"
    )
    claim_id = models.BigIntegerField(null=True, blank=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(
        max_length=64, editable=False, help_text="The previous entry's hash."
    )
    entry_hash = models.CharField(
        max_length=64,
        editable=False,
        help_text="SHA-256 of this entry's content and the previous hash.",
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "audit entries"
        constraints = [
            # One successor per entry: a second writer that missed the chain
            # lock fails instead of forking the chain.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_chain_no_fork"),
        ]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.get_action_display()} {self.article_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Audit entries are append-only.")
        if not self.entry_hash:
            raise ValidationError(
                "Write audit entries with audit.services.audit_record, which "
                "chains them."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit entries are append-only.")
