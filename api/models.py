"""What the API keeps: staff tokens and stored public story documents."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article


class ApiToken(models.Model):
    """A staff member's key to the staff API. Only a digest is kept: the key
    itself is shown once, when it is created (``api.services.api_token_create``).
    """

    class Scope(models.TextChoices):
        READ = "read", "Read: stories, the review queue, claims"
        WRITE = "write", "Read and write: drafts, transitions, reviews"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What it is for, e.g. “CMS sync”."
    )
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(
        max_length=12, editable=False, help_text="The key's first characters."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: valid until revoked."
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.user})"

    @property
    def allows_writes(self) -> bool:
        return self.scope == self.Scope.WRITE

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or now < self.expires_at
        )


class StoryDocument(models.Model):
    """A public story as the API serves it, built from the reader's public read
    model and stored like the article page's render (``api.documents``)."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="api_document",
    )
    edition = models.PositiveBigIntegerField()
    renderer = models.CharField(max_length=64)
    story_json = models.TextField()
    ninjs_json = models.TextField()
    claim_reviews = models.JSONField(default=list)
    etag = models.CharField(max_length=64, help_text="Digest of the three documents.")
    changed_at = models.DateTimeField(
        help_text="When the documents last changed: their Last-Modified."
    )
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"API document of article {self.article_id} (edition {self.edition})"


class PublicClock(models.Model):
    """When anything readers can see last changed (one row): the Last-Modified
    of lists, moved by ``articles.signals.public_content_changed``."""

    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Public content changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"
