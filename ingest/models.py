"""Agency feeds, the items taken from them and the problems met on the way."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section


class AgencyFeed(models.Model):
    class Format(models.TextChoices):
        AUTO = "auto", "Detect from the content"
        RSS = "rss", "RSS or Atom"
        NINJS = "ninjs", "IPTC ninjs (JSON)"
        NEWSML = "newsml", "IPTC NewsML-G2 (text items)"

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField("address", max_length=1000)
    format = models.CharField(max_length=6, choices=Format.choices, default=Format.AUTO)
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Each new item becomes a draft in this section.",
    )
    credit = models.CharField(
        max_length=200, help_text='The agency credit on every draft, e.g. "Yonhap".'
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Drafts are created as this account (a reporter or an editor), "
        "which therefore cannot approve them.",
    )
    active = models.BooleanField(default=True)
    poll_minutes = models.PositiveSmallIntegerField(
        default=5, help_text="How often the feed is read."
    )
    # Conditional GET: what the agency's server last said about the feed.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    next_poll_at = models.DateTimeField(default=timezone.now, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Failed reads in a row."
    )
    last_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(poll_minutes__gte=1),
                name="feed_polled_at_most_each_minute",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ingest:feeds") + f"#feed-{self.pk}"


class IngestedItem(models.Model):
    """An agency item and the story it became: an item is ingested once."""

    feed = models.ForeignKey(AgencyFeed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500)
    version = models.CharField(
        max_length=200, help_text="The agency's version, or a digest of the item."
    )
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="agency_items"
    )
    first_seen_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="item_ingested_once"),
        ]

    def __str__(self) -> str:
        return f"{self.feed}: {self.guid}"


class FeedProblem(models.Model):
    """Something a read of a feed could not take: the feed or one of its items."""

    feed = models.ForeignKey(
        AgencyFeed, on_delete=models.CASCADE, related_name="problems"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    guid = models.CharField(max_length=500, blank=True, help_text="Empty: the feed.")
    message = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.feed} at {self.at:%Y-%m-%d %H:%M}: {self.message[:60]}"
