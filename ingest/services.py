"""Reading agency feeds into drafts.

``feed_poll`` reads one feed (conditional GET, through the link check's safe
HTTP client) and takes each item with ``item_ingest``: a new item becomes a
draft through ``desk.services.article_start`` (so its claims are proposed in
the background); a new version of a known item becomes a new revision of its
draft while the draft is still the agency desk's own (``desk.services.
article_save``), and otherwise a note to the story's people. A feed that
cannot be read, or an item that cannot be taken, is recorded as a
``FeedProblem`` and the rest goes on.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles.content import ArticleContent
from articles.exceptions import EditConflict
from articles.models import Article
from articles.permissions import can_edit_article
from desk.models import Notification
from desk.notifications import notify
from desk.services import article_save, article_start
from factcheck import links
from ingest.models import AgencyFeed, FeedProblem, IngestedItem
from ingest.parsing import AgencyItem, FeedUnreadable, parse_feed

logger = logging.getLogger(__name__)

_LIMITS = {
    name: Article._meta.get_field(name).max_length
    for name in ("headline", "slug", "dateline", "contributor_credit")
}


@dataclass
class PollResult:
    created: int = 0
    revised: int = 0
    noted: int = 0
    unchanged: int = 0
    problems: int = 0
    not_modified: bool = False
    error: str = ""


def feeds_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Active feeds whose next read is due."""
    now = now or timezone.now()
    due = AgencyFeed.objects.filter(active=True, next_poll_at__lte=now)
    return list(due.values_list("pk", flat=True))


def _claim_read(feed_id: int, now: datetime.datetime, force: bool) -> bool:
    """Move the feed's next read on; False if it is not due or another read
    took this one (a compare-and-set on the due time: of two sweeps, one reads)."""
    feed = (
        AgencyFeed.objects.filter(pk=feed_id, active=True)
        .values("poll_minutes", "next_poll_at")
        .first()
    )
    if feed is None or (feed["next_poll_at"] > now and not force):
        return False
    interval = datetime.timedelta(minutes=feed["poll_minutes"])
    claimed = AgencyFeed.objects.filter(pk=feed_id, next_poll_at=feed["next_poll_at"])
    return bool(claimed.update(next_poll_at=now + interval, last_polled_at=now))


def feed_poll(
    *, feed_id: int, now: datetime.datetime | None = None, force: bool = False
) -> PollResult | None:
    """Read one feed if it is due (or ``force``); None if it was not read.

    Never raises for anything the feed or its server does.
    """
    now = now or timezone.now()
    if not _claim_read(feed_id, now, force):
        return None
    feed = AgencyFeed.objects.select_related("owner", "section").get(pk=feed_id)
    headers = {"Accept": "application/json, application/xml, text/xml, */*;q=0.5"}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        answer = links.fetch(
            feed.url,
            allow_private=settings.AGENCY_FEEDS_ALLOW_PRIVATE,
            headers=headers,
            max_bytes=settings.AGENCY_FEED_MAX_BYTES,
        )
        if answer.status == 304:
            _feed_read(feed, now)
            return PollResult(not_modified=True)
        if answer.status != 200:
            raise FeedUnreadable(f"the server answered HTTP {answer.status}")
        parsed = parse_feed(answer.body, feed.format)
    except (links.RefusedAddress, links.FetchFailed, FeedUnreadable) as error:
        return PollResult(error=_feed_failed(feed, now, str(error)))
    result = PollResult()
    for guid, message in parsed.problems:
        FeedProblem.objects.create(feed=feed, guid=guid, message=message)
        result.problems += 1
    for item in parsed.items:
        try:
            outcome = item_ingest(feed=feed, item=item)
        except (
            ValidationError,
            PermissionDenied,
            EditConflict,
            IntegrityError,
        ) as error:
            message = "; ".join(getattr(error, "messages", [str(error)]))
            FeedProblem.objects.create(
                feed=feed, guid=item.guid, message=f"item not taken: {message}"[:2000]
            )
            result.problems += 1
        else:
            setattr(result, outcome, getattr(result, outcome) + 1)
    # The validators are kept only when every item was taken: otherwise the
    # next read fetches the whole feed again and retries the ones that failed.
    validators = {}
    if not result.problems:
        validators = {
            "etag": answer.headers.get("ETag", "")[:500],
            "last_modified": answer.headers.get("Last-Modified", "")[:100],
        }
    _feed_read(feed, now, **validators)
    return result


def _feed_read(feed: AgencyFeed, now, **validators) -> None:
    AgencyFeed.objects.filter(pk=feed.pk).update(
        last_success_at=now, failures=0, last_error="", **validators
    )


def _feed_failed(feed: AgencyFeed, now, reason: str) -> str:
    """Record a failed read; tell the editors when a feed starts failing."""
    reason = reason[:2000]
    FeedProblem.objects.create(feed=feed, message=reason)
    AgencyFeed.objects.filter(pk=feed.pk).update(
        failures=feed.failures + 1, last_error=reason
    )
    if feed.failures + 1 == settings.AGENCY_FEED_ALERT_AFTER:
        with transaction.atomic():
            notify(
                recipients=get_user_model().objects.filter(
                    is_active=True, groups__name="editor"
                ),
                verb=Notification.Verb.INTEGRATION_FAILING,
                message=f"The agency feed “{feed.name}” failed "
                f"{settings.AGENCY_FEED_ALERT_AFTER} times in a row: {reason} "
                f"(see {feed.get_absolute_url()})",
            )
    logger.warning("Agency feed %s failed: %s", feed.pk, reason)
    return reason


def _free_slug(feed: AgencyFeed, item: AgencyItem, day: datetime.date) -> str:
    slug = slugify(item.headline)[: _LIMITS["slug"] - 7].strip("-") or "agency-copy"
    taken = Article.objects.filter(section=feed.section, story_date=day, slug=slug)
    if taken.exists():
        slug = f"{slug}-{hashlib.sha256(item.guid.encode()).hexdigest()[:6]}"
    return slug


def _content(
    feed: AgencyFeed, item: AgencyItem, *, keep: Article | None
) -> ArticleContent:
    """The draft's content from the item; an update keeps the story's address."""
    if keep is not None:
        section_id, day, slug = keep.section_id, keep.story_date, keep.slug
    else:
        published = item.published or timezone.now()
        day = timezone.localdate(published)
        section_id, slug = feed.section_id, _free_slug(feed, item, day)
    return ArticleContent(
        headline=item.headline[: _LIMITS["headline"]],
        slug=slug,
        section_id=section_id,
        story_date=day,
        dek=item.summary,
        body=item.body,
        dateline=item.dateline[: _LIMITS["dateline"]],
        contributor_credit=feed.credit[: _LIMITS["contributor_credit"]],
        lead_image_id=keep.lead_image_id if keep is not None else None,
    )


def _agency_desk_owns(feed: AgencyFeed, article: Article) -> bool:
    """Still the agency's draft: nobody but the feed's account has saved it."""
    return (
        article.status == Article.Status.DRAFT
        and can_edit_article(feed.owner, article)
        and not article.revisions.exclude(saved_by=feed.owner).exists()
    )


def item_ingest(*, feed: AgencyFeed, item: AgencyItem) -> str:
    """Take one item: "created", "revised", "noted" or "unchanged".

    Idempotent: the item's row is locked, so the same item read twice at once
    is taken once (a second draft would break the unique constraint and roll
    back). Raises ``ValidationError`` or ``PermissionDenied`` from the desk's
    services (recorded by ``feed_poll``).
    """
    with transaction.atomic():
        record = (
            IngestedItem.objects.select_for_update()
            .filter(feed=feed, guid=item.guid)
            .first()
        )
        if record is None:
            if item.withdrawn:
                return "unchanged"  # killed before we ever took it
            article = article_start(
                actor=feed.owner,
                content=_content(feed, item, keep=None),
                summary=f"From {feed.name} ({item.version})"[:300],
            )
            IngestedItem.objects.create(
                feed=feed, guid=item.guid, version=item.version, article=article
            )
            return "created"
        if record.version == item.version:
            return "unchanged"
        article = Article.objects.select_for_update().get(pk=record.article_id)
        if not item.withdrawn and _agency_desk_owns(feed, article):
            article_save(
                article=article,
                actor=feed.owner,
                content=_content(feed, item, keep=article),
                base_revision_id=article.current_revision_id,
                summary=f"Agency update from {feed.name} ({item.version})"[:300],
            )
            outcome = "revised"
        else:
            _note_update(feed, item, article)
            outcome = "noted"
        record.version, record.updated_at = item.version, timezone.now()
        record.save(update_fields=["version", "updated_at"])
    return outcome


def _note_update(feed: AgencyFeed, item: AgencyItem, article: Article) -> None:
    """Tell the story's people: it is theirs now, the agency's copy is not
    pushed over their work (or over what readers see)."""
    what = "withdrew" if item.withdrawn else "sent a new version of"
    then = (
        " and add a correction if readers need it"
        if article.status in Article.PUBLIC_STATUSES
        else ""
    )
    people = get_user_model().objects.filter(
        Q(pk=article.created_by_id)
        | Q(bylined_articles=article)
        | Q(article_revisions__article=article),
        is_active=True,
    )
    notify(
        recipients=people.distinct(),
        verb=Notification.Verb.AGENCY_UPDATE,
        article=article,
        message=f"{feed.name} {what} “{item.headline or article.headline}” "
        f"(version {item.version}) after the desk took it over: compare it with "
        f"the story{then}.",
    )
