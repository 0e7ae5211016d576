from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

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

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the system (e.g. scheduled publishing).",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="audit_entries"
    )
    claim_id = models.BigIntegerField(null=True, blank=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.get_action_display()} {self.article_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit entries are append-only.")
