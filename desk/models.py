"""Desk data: corrections, notifications and editorial comments. The
article's state itself is ``articles.Article.status``, changed only by
``desk.workflow``."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from articles.models import Article
from factcheck.models import Claim


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        RETRACTION = "retraction", "Retraction"

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="corrections"
    )
    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.CORRECTION
    )
    text = models.TextField()
    claims = models.ManyToManyField(Claim, blank=True, related_name="corrections")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.article}"


class Notification(models.Model):
    class Verb(models.TextChoices):
        ASSIGNED = "assigned", "Claims assigned to you"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Story approved"
        PUBLISHED = "published", "Story published"
        REMINDER = "reminder", "Claims waiting for review"
        PUBLICATION_BLOCKED = "publication_blocked", "Scheduled story not published"
        APPROVAL_LAPSED = "approval_lapsed", "Approved story blocked by a claim"
        CORRECTION_NEEDED = "correction_needed", "Published claim needs a correction"
        AGENCY_UPDATE = "agency_update", "Agency copy updated"
        INTEGRATION_FAILING = "integration_failing", "Agency feed or webhook failing"
        ERROR_REPORT = "error_report", "Reader reported an error"
        MENTIONED = "mentioned", "Mentioned in a comment"
        COMMENT_REPLY = "comment_reply", "Reply to your comment"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} for {self.recipient}"

    def get_absolute_url(self) -> str:
        if self.verb == self.Verb.ERROR_REPORT:
            return reverse("desk:error_reports")
        if self.article_id:
            return reverse("desk:story", kwargs={"pk": self.article_id})
        return reverse("desk:queue")


class ErrorReport(models.Model):
    """A reader's report of an error in a published story, for the standards desk."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        HANDLED = "handled", "Handled"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="error_reports"
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="error_reports",
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    message = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    # Set by ``error_report_handle``, with an audit entry.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handling_note = models.TextField(
        blank=True, help_text="What the desk found or did; never shown to readers."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Report on {self.article} ({self.get_status_display()})"


class Comment(models.Model):
    """Staff talk on a story's text: a thread opened on a paragraph or a claim,
    with replies. Never shown to readers. Written by ``desk.comments``."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The thread's first comment; empty for that one.",
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paragraph = models.PositiveIntegerField(
        null=True, blank=True, help_text="1-based paragraph of the body."
    )
    # The words commented on, as they stood: the thread keeps its sense after
    # the paragraph is edited or moved.
    quote = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(max_length=5000)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "parent"])]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.article_id}"
