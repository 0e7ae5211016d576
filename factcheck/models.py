"""The source registry and claims anchored in article bodies.

A claim points at a character range of its article's body (absolute offsets
plus the paragraph index, see ``articles.rendering.paragraph_spans``) and
keeps its exact text, so it can be re-anchored when the body changes.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles.models import Article
from newsroom.hygiene import validate_sane_date


class Source(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government"
        MILITARY = "military", "Military"
        OFFICIAL = "official", "Official"
        STATE_MEDIA = "state_media", "State media"
        NEWS_AGENCY = "news_agency", "News agency"
        INTELLIGENCE = "intelligence", "Intelligence agency"
        EXPERT = "expert", "Expert"
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        DOCUMENT = "document", "Document"
        UNNAMED = "unnamed", "Unnamed source"

    # Kinds whose statements cannot be independently checked as a matter of course.
    UNVERIFIABLE_KINDS = (Kind.STATE_MEDIA,)

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    affiliation = models.CharField(max_length=200, blank=True)
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166 alpha-2 code."
    )
    description = models.TextField(
        blank=True, help_text="Shown instead of the name when the source is protected."
    )
    aliases = models.TextField(
        blank=True, help_text="How stories refer to this source, one per line."
    )
    reader_note = models.TextField(
        blank=True,
        help_text="Standing note shown to readers next to this source's claims.",
    )
    homepage = models.URLField(blank=True)
    protected = models.BooleanField(
        default=False,
        help_text="Its safety depends on not being named: readers see only the "
        "description.",
    )
    confirmed = models.BooleanField(
        default=True,
        help_text="Unconfirmed sources were proposed by the claim extractor.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reader:source", kwargs={"pk": self.pk})

    @property
    def alias_list(self) -> list[str]:
        return self.parse_aliases(self.aliases)

    @staticmethod
    def parse_aliases(text: str) -> list[str]:
        """The aliases field holds one alias a line; blank lines mean nothing."""
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def is_unverifiable(self) -> bool:
        """Its statements cannot be checked as a matter of course (state media)."""
        return self.kind in self.UNVERIFIABLE_KINDS

    @property
    def public_name(self) -> str:
        return self.name_for_readers(self.name, self.description, self.protected)

    @staticmethod
    def name_for_readers(name: str, description: str, protected: bool) -> str:
        """What readers may see: never the name of a protected source."""
        if protected:
            return description or "A source whose identity we protect"
        return name


class SourceRoleQuerySet(models.QuerySet):
    def held_on(self, day: datetime.date):
        """Roles held on ``day``: a story must not give a title held only later."""
        return self.filter(
            Q(start__isnull=True) | Q(start__lte=day),
            Q(end__isnull=True) | Q(end__gte=day),
        )


class SourceRole(models.Model):
    """A title a source held for a period, e.g. "Defense Minister of Japan" from
    2025-10-21."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    start = models.DateField(null=True, blank=True, validators=[validate_sane_date])
    end = models.DateField(null=True, blank=True, validators=[validate_sane_date])

    objects = SourceRoleQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(end__gte=models.F("start")),
                name="role_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Claim(models.Model):
    class Kind(models.TextChoices):
        DIRECT_QUOTE = "direct_quote", "Direct quote"
        REPORTED_SPEECH = "reported_speech", "Reported speech"
        STATE_MEDIA = "state_media", "State-media report"
        DOCUMENT = "document", "Document"
        UNATTRIBUTED = "unattributed", "Reporter's own assertion"

    class Origin(models.TextChoices):
        PROPOSED = "proposed", "Proposed by the system"
        ACCEPTED = "accepted", "Proposal accepted or corrected by a person"
        MANUAL = "manual", "Written by a person"

    class Anchor(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        CHANGED = "changed", "Sentence changed"
        DETACHED = "detached", "Sentence removed"

    class Review(models.TextChoices):
        UNREVIEWED = "unreviewed", "Awaiting review"
        REVIEWED = "reviewed", "Reviewed"
        REOPENED = "reopened", "Back to review after an edit"
        DISMISSED = "dismissed", "Dismissed"

    class Attribution(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed: the source did say this"
        NOT_CONFIRMED = "not_confirmed", "Not confirmed"
        MISATTRIBUTED = "misattributed", "Misattributed"

    class Confidence(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    class Veracity(models.TextChoices):
        ACCURATE = "accurate", "Accurate"
        MOSTLY_ACCURATE = "mostly_accurate", "Mostly accurate"
        MISLEADING = "misleading", "Misleading"
        FALSE = "false", "False"
        UNVERIFIABLE = "unverifiable", "Unverifiable"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    AWAITING_REVIEW = (Review.UNREVIEWED, Review.REOPENED)

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="claims"
    )
    paragraph = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    previous_text = models.TextField(
        blank=True, help_text="The sentence as it read before an edit changed it."
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.UNATTRIBUTED
    )
    speaker = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    speaker_text = models.CharField(max_length=300, blank=True)
    channel = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channelled_claims",
        help_text="Who passed the words on, e.g. KCNA for Kim's words.",
    )
    cue = models.CharField(max_length=100, blank=True)
    # How sure the extractor was of its proposal; blank for a person's claim.
    confidence = models.CharField(max_length=6, choices=Confidence.choices, blank=True)
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.MANUAL
    )
    anchor = models.CharField(
        max_length=10, choices=Anchor.choices, default=Anchor.ANCHORED
    )
    review = models.CharField(
        max_length=12, choices=Review.choices, default=Review.UNREVIEWED, db_index=True
    )
    # The latest decision; every decision is also kept as a ClaimReview row.
    attribution = models.CharField(
        max_length=15, choices=Attribution.choices, blank=True
    )
    veracity = models.CharField(max_length=16, choices=Veracity.choices, blank=True)
    public_explanation = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    due_at = models.DateTimeField(
        null=True, blank=True, validators=[validate_sane_date]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Moves on with every change to the claim, so that a decision or an edit
    # made on an older version is refused instead of undoing a colleague's.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="claim_span_not_empty"
            ),
            # One live claim per span: re-running the extractor cannot duplicate one.
            models.UniqueConstraint(
                fields=["article", "start", "end"],
                condition=~Q(anchor="detached"),
                name="one_live_claim_per_span",
                violation_error_message=(
                    "A claim already exists over exactly these words."
                ),
            ),
        ]
        indexes = [models.Index(fields=["article", "review"])]
        permissions = [
            ("review_claim", "Can record review decisions on claims"),
            ("assign_claim", "Can assign claims to fact-checkers"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @classmethod
    def attribution_problem(cls, kind: str, speaker, channel) -> str:
        """Why this attribution is impossible, or "" when it is fine."""
        if kind == cls.Kind.UNATTRIBUTED and (speaker or channel):
            return "A reporter's own assertion has no speaker or channel."
        if kind != cls.Kind.UNATTRIBUTED and speaker is None:
            return "An attributed claim needs a speaker."
        return ""

    @property
    def is_live(self) -> bool:
        return (
            self.anchor != self.Anchor.DETACHED and self.review != self.Review.DISMISSED
        )


class PublishedClaim(models.Model):
    """A claim as readers see it: its verdict when the story was published, or
    when a publisher's correction last brought it up to date.

    Fact-checkers may change a claim of a public story at any time; readers
    see the change only once a correction names the claim, so no verdict on a
    public page changes without a correction beside it. Written only by
    ``factcheck.services.claims_publish``.
    """

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="published"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="published_claims"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=Claim.Kind.choices)
    speaker = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    speaker_text = models.CharField(max_length=300, blank=True)
    channel = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attribution = models.CharField(max_length=15, choices=Claim.Attribution.choices)
    veracity = models.CharField(max_length=16, choices=Claim.Veracity.choices)
    public_explanation = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    evidence_ids = models.JSONField(
        default=list, blank=True, help_text="The public evidence shown, by id."
    )
    published_at = models.DateTimeField()

    # What readers see of a claim: a change to any of these needs a correction.
    SHOWN_FIELDS = (
        "start",
        "end",
        "text",
        "kind",
        "speaker_id",
        "speaker_text",
        "channel_id",
        "attribution",
        "veracity",
        "public_explanation",
    )

    class Meta:
        ordering = ["article", "start"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_blocking(self) -> bool:
        """A verdict the gate refuses: readers see it only if a publisher vouched."""
        return (
            self.attribution == Claim.Attribution.MISATTRIBUTED
            or self.veracity == Claim.Veracity.FALSE
        )


class ClaimReview(models.Model):
    """One review decision on a claim. Never changed: a new decision is a new row."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_reviews"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claim_text = models.TextField(help_text="The sentence as it read when reviewed.")
    attribution = models.CharField(max_length=15, choices=Claim.Attribution.choices)
    veracity = models.CharField(max_length=16, choices=Claim.Veracity.choices)
    note = models.TextField(blank=True, help_text="Internal: never shown to readers.")
    public_explanation = models.TextField(
        blank=True, help_text="Shown to readers next to the verdict."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_attribution_display()} / {self.get_veracity_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                "Review decisions are kept as history; record a new one."
            )
        super().save(*args, **kwargs)


class Evidence(models.Model):
    class LinkStatus(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        OK = "ok", "Link works"
        BROKEN = "broken", "Page gone"
        UNREACHABLE = "unreachable", "Site failing or unreachable"
        REFUSED = "refused", "Not checked: not a public web address"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    original_language = models.CharField(
        max_length=35, blank=True, help_text="e.g. ko, ja"
    )
    original_text = models.TextField(blank=True, help_text="The source's own words.")
    translation = models.TextField(blank=True, help_text="The newsroom's translation.")
    public = models.BooleanField(
        default=True, help_text="Readers may see this evidence."
    )
    # Written by the link check (factcheck.links), in the background.
    link_status = models.CharField(
        max_length=12, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED
    )
    link_detail = models.CharField(max_length=200, blank=True)
    link_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["link_checked_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def link_is_broken(self) -> bool:
        """The page is gone (404 or 410); a failing site may be back tomorrow."""
        return self.link_status == self.LinkStatus.BROKEN
