"""Articles and their immutable revisions.

``Article`` holds the current text; every save also writes an ``ArticleRevision``
with all editable fields, so history is never rewritten. ``Article.status`` is
data here; only the desk's workflow services change it.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in navigation."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for fact-check"
        APPROVED = "approved", "Approved"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        CORRECTED = "corrected", "Published, corrected"
        RETRACTED = "retracted", "Retracted"
        UNPUBLISHED = "unpublished", "Unpublished"

    # Statuses whose page the public may see (a retraction keeps its page).
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CORRECTED, Status.RETRACTED)

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, allow_unicode=False)
    dek = models.TextField("standfirst", blank=True)
    body = models.TextField(
        blank=True,
        help_text="Markdown: blank lines between paragraphs, ## subhead, *emphasis*, "
        "[link](https://...), > quote, - list item.",
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Byline",
        related_name="bylined_articles",
        blank=True,
        verbose_name="bylines",
    )
    contributor_credit = models.CharField(
        max_length=200,
        blank=True,
        help_text='Free-text credit, e.g. "Associated Press".',
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles"
    )
    dateline = models.CharField(
        max_length=100, blank=True, help_text="Place, e.g. SEOUL."
    )
    story_date = models.DateField(
        default=timezone.localdate, help_text="The day in the story's public address."
    )
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_articles",
    )
    current_revision = models.ForeignKey(
        "ArticleRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Written by the claim proposal (factcheck) once it has run on a revision's
    # text; while it lags behind current_revision, claims may be missing, and
    # the publish gate holds the story.
    claims_proposed_for = models.ForeignKey(
        "ArticleRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a scheduled story goes out.",
    )
    embargo_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Nothing publishes this story before this time.",
    )
    # Weighted full-text document (headline A, standfirst B, body C), kept up to
    # date by a PostgreSQL trigger (migration 0003); always empty on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "publish_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "story_date", "slug"], name="article_unique_per_day"
            ),
        ]
        permissions = [
            ("edit_any_article", "Can edit any article, not only own drafts"),
            ("submit_article", "Can submit a story for fact-check"),
            ("approve_article", "Can approve a story or send it back"),
            (
                "override_approval_gate",
                "Can approve despite open or failed claims, with a reason",
            ),
            (
                "publish_article",
                "Can schedule, publish, unpublish, correct and retract",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        day: datetime.date = self.story_date
        return reverse(
            "reader:article",
            kwargs={
                "section": self.section.slug,
                "year": day.year,
                "month": f"{day.month:02d}",
                "day": f"{day.day:02d}",
                "slug": self.slug,
            },
        )

    @property
    def claims_pending(self) -> bool:
        """Claims have not been proposed for the current text yet."""
        return self.claims_proposed_for_id != self.current_revision_id


class Byline(models.Model):
    """A newsroom user credited on an article, in credit order."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="byline_once_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.article_id}"


class ArticleRevision(models.Model):
    """One saved state of an article. Never changed after it is written."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200)
    dek = models.TextField(blank=True)
    body = models.TextField(blank=True)
    contributor_credit = models.CharField(max_length=200, blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    dateline = models.CharField(max_length=100, blank=True)
    story_date = models.DateField()
    embargo_until = models.DateTimeField(null=True, blank=True)
    author_ids = models.JSONField(
        default=list, blank=True, help_text="Bylined user ids, in order."
    )
    tag_ids = models.JSONField(default=list, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="article_revisions",
    )
    created_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=300, blank=True)
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A save made from an older revision and merged with the saves since
    # (articles.merge): the revision its author started from, and what merged.
    merged_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merge_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="revision_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                "Revisions are immutable; save a new revision instead."
            )
        super().save(*args, **kwargs)


class EditSession(models.Model):
    """Who has an article's edit page open: a soft lock that never blocks."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="edit_sessions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="one_edit_session_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} editing {self.article_id}"


class PreviewLink(models.Model):
    """A revocable, expiring link that shows one article to someone outside."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="preview_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True, help_text="Who it is for.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.article_id} for {self.note or 'guest'}"

    def is_usable(self, now: datetime.datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class DraftBuffer(models.Model):
    """Unsaved typing of one user on one story's edit page (or on a new story),
    kept every few seconds by the page so a closed tab or a crash loses no
    words. Never a revision: it is offered back to its user alone, and
    discarded when their save lands (``articles.drafts``)."""

    NEW_STORY = "new"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # "article-<id>" for a story, NEW_STORY for the add page.
    key = models.CharField(max_length=40)
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft_buffers",
    )
    base_revision = models.ForeignKey(
        ArticleRevision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The revision the typing started from; a save merges against it.",
    )
    fields = models.JSONField(default=dict, help_text="Field name to typed text.")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_draft_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user}'s unsaved text of {self.key}"

    @staticmethod
    def key_for(article: "Article | None") -> str:
        return f"article-{article.pk}" if article is not None else DraftBuffer.NEW_STORY
