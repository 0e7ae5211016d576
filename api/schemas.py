"""The shapes the API reads and writes, as pydantic models (django-ninja).

The same classes validate requests, serialise responses and generate the
OpenAPI document, so what is documented is what is served. Public shapes hold
only what the article page shows (``reader.selectors``); staff shapes are for
token holders and are never served anonymously.
"""

import datetime
import re
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field

from desk.workflow import TRANSITIONS_BY_NAME
from factcheck.models import Claim

# ---------------------------------------------------------------- input types

# C0 and C1 controls other than tab and newlines, and lone surrogates: no text
# field of a story holds them, and the database refuses some outright.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
MAX_ID = 2**63 - 1  # the database's bigint


def _clean_text(value: str) -> str:
    if _UNWANTED.search(value):
        raise ValueError("control characters are not allowed")
    return value


def _sane_day(value: datetime.date) -> datetime.date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"dates run from {EARLIEST_YEAR} to {LATEST_YEAR}")
    return value


def _sane_moment(value: datetime.datetime) -> datetime.datetime:
    try:
        in_utc = value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError(f"dates run from {EARLIEST_YEAR} to {LATEST_YEAR}") from None
    _sane_day(in_utc.date())
    return in_utc


Text = Annotated[str, AfterValidator(_clean_text)]
Day = Annotated[datetime.date, AfterValidator(_sane_day)]
Moment = Annotated[AwareDatetime, AfterValidator(_sane_moment)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]*$", max_length=200)]
CursorText = Annotated[str, Field(pattern=r"^[-A-Za-z0-9_]*$", max_length=500)]

# ---------------------------------------------------------------- queries


class PageQuery(Schema):
    cursor: CursorText = Field(default="", description="The previous page's next.")
    limit: int = Field(default=20, ge=1, le=100, description="Items per page.")


class StoryQuery(PageQuery):
    section: Slug = Field(default="", description="A section's slug.")
    tag: Slug = Field(default="", description="A tag's slug.")
    source: Id | None = Field(default=None, description="A public source's id.")
    updated_since: Moment | None = Field(
        default=None,
        description="Changed state (published, corrected...) at or after this.",
    )


# ---------------------------------------------------------------- errors


class Error(Schema):
    detail: str = Field(description="What went wrong, for a person to read.")


class ValidationFailed(Schema):
    detail: list[dict[str, Any]] = Field(description="Each field and what is wrong.")


class Refused(Error):
    reasons: list[str] = Field(
        default_factory=list, description="Each reason the action was refused."
    )


# ---------------------------------------------------------------- public


class SectionRef(Schema):
    name: str
    slug: str
    url: str = Field(description="The section's page on the site.")


class TagRef(Schema):
    name: str
    slug: str


class PublicSource(Schema):
    """A source as readers see it: a protected source only by its description."""

    name: str
    kind: str
    kind_label: str
    role: str = Field(description="The title held on the story's date, or empty.")
    reader_note: str
    url: str | None = Field(description="Its public page; null when it has none.")
    api_url: str | None
    protected: bool


class PublicEvidence(Schema):
    title: str
    url: str
    original_language: str
    original_text: str
    translation: str
    link_broken: bool = Field(description="The link check found the page gone.")


class PublicClaim(Schema):
    number: int = Field(description="Its marker in the story, from 1.")
    text: str
    kind_label: str
    speaker: PublicSource | None
    channel: PublicSource | None = Field(
        description="Who passed the words on (KCNA for Kim's words)."
    )
    reader_note: str
    attribution: str
    attribution_label: str
    veracity: str
    veracity_label: str
    explanation: str
    reviewed_at: datetime.datetime | None
    corrected_at: datetime.datetime | None = Field(
        description="The last correction that named this claim, if any."
    )
    evidence: list[PublicEvidence]


class PublicCorrection(Schema):
    kind: Literal["correction", "retraction"]
    text: str
    created_at: datetime.datetime


class StorySummary(Schema):
    id: int
    url: str = Field(description="The story's page on the site.")
    api_url: str
    ninjs_url: str
    headline: str
    dek: str
    section: SectionRef
    status: Literal["published", "corrected", "retracted"]
    story_date: datetime.date
    first_published_at: datetime.datetime | None
    published_at: datetime.datetime | None
    updated_at: datetime.datetime = Field(
        description="When the story last changed state (published, corrected...)."
    )


class Story(StorySummary):
    public_updated_at: datetime.datetime | None = Field(
        description="The “Updated” time the page shows: the last correction, "
        "retraction or publication again; null if none."
    )
    bylines: list[str]
    contributor_credit: str
    dateline: str
    tags: list[TagRef]
    body_html: str = Field(
        description="Sanitised HTML; each claim's marker links to its entry."
    )
    claims: list[PublicClaim] = Field(
        description="None once retracted: the story's ratings are withdrawn."
    )
    corrections: list[PublicCorrection]
    retraction: PublicCorrection | None


class StoryPage(Schema):
    items: list[StorySummary]
    next: str | None = Field(description="The next page's address; null at the end.")


class SectionOut(SectionRef):
    description: str
    stories_url: str


class SectionList(Schema):
    items: list[SectionOut]


class TagOut(TagRef):
    stories_url: str


class TagList(Schema):
    items: list[TagOut]


class SourceRole(Schema):
    title: str
    start: datetime.date | None
    end: datetime.date | None


class SourceSummary(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    url: str
    api_url: str


class SourceClaim(Schema):
    text: str
    story_id: int
    story_url: str
    headline: str
    relayed: bool = Field(description="The source passed the words on.")
    attribution: str
    attribution_label: str
    veracity: str
    veracity_label: str


class SourceOut(SourceSummary):
    country: str
    reader_note: str
    description: str
    homepage: str
    roles: list[SourceRole]
    claims: list[SourceClaim]


class SourcePage(Schema):
    items: list[SourceSummary]
    next: str | None


class CorrectionOut(PublicCorrection):
    id: int
    story_id: int
    story_url: str
    story_api_url: str
    headline: str


class CorrectionPage(Schema):
    items: list[CorrectionOut]
    next: str | None


class ClaimReviewFeed(Schema):
    """schema.org ``DataFeed`` of ``ClaimReview`` objects, as in the pages' JSON-LD."""

    context: Literal["https://schema.org"] = Field(alias="@context")
    type: Literal["DataFeed"] = Field(alias="@type")
    dataFeedElement: list[dict[str, Any]]
    next: str | None


# ---------------------------------------------------------------- staff

TransitionName = Literal[tuple(TRANSITIONS_BY_NAME)]
AttributionChoice = Literal[tuple(Claim.Attribution.values)]
VeracityChoice = Literal[tuple(Claim.Veracity.values)]
ClaimKind = Literal[tuple(Claim.Kind.values)]
ReviewState = Literal[tuple(Claim.Review.values)]


class Me(Schema):
    username: str
    name: str
    roles: list[str]
    token: str = Field(description="The token's name.")
    scope: Literal["read", "write"]


class StoryContent(Schema):
    """A story's editable content, as a draft is created or saved."""

    headline: Text = Field(min_length=1, max_length=300)
    slug: Slug = Field(
        default="", description="Its address; empty: made from the headline."
    )
    section: Slug = Field(description="The section's slug.")
    story_date: Day | None = Field(
        default=None, description="The day in its address; empty: today."
    )
    dek: Text = Field(default="", max_length=5000)
    body: Text = Field(default="", max_length=500_000, description="Markdown.")
    dateline: Text = Field(default="", max_length=100)
    contributor_credit: Text = Field(default="", max_length=200)
    embargo_until: Moment | None = None
    bylines: list[Annotated[str, Field(max_length=150)]] = Field(
        default_factory=list, max_length=50, description="Usernames, in order."
    )
    tags: list[Slug] = Field(default_factory=list, max_length=50)


class StoryCreate(StoryContent):
    summary: Text = Field(default="", max_length=300)


class StoryUpdate(StoryContent):
    base_revision: Id = Field(
        description="The revision id this edit started from (``revision.id``)."
    )
    summary: Text = Field(default="", max_length=300)


class RevisionOut(Schema):
    id: int
    number: int
    saved_by: str
    created_at: datetime.datetime
    summary: str
    merge_note: str = Field(
        default="",
        description="Set when this save was merged with saves made after the "
        "revision it started from.",
    )
    content: StoryContent


class StaffClaim(Schema):
    id: int
    version: int = Field(description="Send it back with a review: a stale one is 409.")
    story_id: int
    text: str
    kind: ClaimKind
    speaker: str | None
    channel: str | None
    review: ReviewState
    attribution: str
    veracity: str
    assignee: str | None
    due_at: datetime.datetime | None
    created_at: datetime.datetime


class StaffStory(Schema):
    id: int
    status: str
    status_label: str
    revision: RevisionOut
    public_url: str | None
    transitions: list[str] = Field(
        description="What this token's user may do to the story now."
    )
    blockers: list[str] = Field(description="Why it cannot be approved as it stands.")
    claims: list[StaffClaim]


class EditConflictOut(Error):
    """A stale save: someone saved after the revision this edit started from."""

    base_revision: int | None
    current: RevisionOut
    yours: StoryContent
    overlapping: list[str] = Field(
        default_factory=list,
        description="Where both edits changed the story: “Paragraph 3”, “Headline”.",
    )


class TransitionIn(Schema):
    message: Text = Field(
        default="",
        max_length=5000,
        description="Reason or note; the correction or retraction text.",
    )
    publish_at: Moment | None = Field(
        default=None, description="For “schedule”: when it goes out."
    )
    claim_ids: list[Id] = Field(
        default_factory=list,
        max_length=500,
        description="For a correction: the claims it concerns.",
    )


class EvidenceIn(Schema):
    title: Text = Field(min_length=1, max_length=300)
    url: Text = Field(default="", max_length=1000)
    note: Text = Field(default="", max_length=10_000)
    original_language: Text = Field(default="", max_length=35)
    original_text: Text = Field(default="", max_length=20_000)
    translation: Text = Field(default="", max_length=20_000)
    public: bool = True


class ReviewIn(Schema):
    attribution: AttributionChoice
    veracity: VeracityChoice
    note: Text = Field(
        default="", max_length=10_000, description="Internal: never shown to readers."
    )
    public_explanation: Text = Field(default="", max_length=10_000)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50)
    reviewed_text: Text | None = Field(
        default=None,
        description="The sentence as the reviewer read it: a stale one is refused.",
    )
    version: Id | None = Field(
        default=None,
        description="The claim's version the decision was made on: if a colleague "
        "decided or changed it since, the answer is a 409 saying what they did.",
    )


class ReviewOut(Schema):
    id: int
    claim_id: int
    attribution: str
    veracity: str
    created_at: datetime.datetime


class QueueQuery(PageQuery):
    story: Id | None = Field(default=None, description="Only this story's claims.")
    source: Id | None = Field(default=None, description="Only this source's claims.")
    kind: ClaimKind | None = None
    assignee: str = Field(
        default="",
        pattern=r"^(|me|none|[0-9]{1,18})$",
        description="“me”, “none” or a user id.",
    )
    older_than_hours: int | None = Field(default=None, ge=1, le=24 * 365)


class QueuePage(Schema):
    items: list[StaffClaim]
    next: str | None
