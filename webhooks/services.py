"""Events from the audit log, deliveries, signatures.

- ``events_derive`` reads the audit log past its cursor (and, again, the last
  ``WEBHOOK_AUDIT_OVERLAP_SECONDS``, in case an entry committed after a later
  one) and makes one event per entry and kind, then one delivery per
  subscription that wants it, each sent through the outbox.
- ``delivery_attempt`` sends one delivery if it is due, claimed by a
  compare-and-set so that two workers never send it twice; it records the
  attempt (status, response time) and sets the next try with exponential
  back-off, gives up after ``WEBHOOK_MAX_ATTEMPTS`` and disables a
  subscription after ``WEBHOOK_DISABLE_AFTER`` failures in a row, telling
  whoever made it and the administrators.

Signature: ``Newsroom-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>" keyed with the subscription's secret>`` (see the README).
"""

import datetime
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from audit.models import AuditEntry
from desk.models import Notification
from desk.notifications import notify
from factcheck import links
from outbox.services import outbox_enqueue
from webhooks.models import (
    AuditCursor,
    Delivery,
    DeliveryAttempt,
    Event,
    EventKind,
    Subscription,
)

logger = logging.getLogger(__name__)
SIGNATURE_HEADER = "Newsroom-Signature"
DELIVER_TASK = "webhooks.tasks.deliver_webhook_task"
DERIVE_TASK = "webhooks.tasks.derive_webhook_events_task"
# Entries that may make an event; the rest of the log is never read for it.
_ACTIONS = (
    AuditEntry.Action.PUBLICATION,
    AuditEntry.Action.CORRECTION,
    AuditEntry.Action.TRANSITION,
    AuditEntry.Action.REVIEW,
)
_STATE_ACTIONS = (
    AuditEntry.Action.PUBLICATION,
    AuditEntry.Action.CORRECTION,
    AuditEntry.Action.TRANSITION,
    AuditEntry.Action.OVERRIDE,
)


# ---------------------------------------------------------------- events


def audit_entry_written(sender, instance: AuditEntry, created: bool, **kwargs):
    """post_save of an audit entry: derive its events soon after it commits."""
    if (
        created
        and instance.action in _ACTIONS
        and Subscription.objects.filter(active=True).exists()
    ):
        outbox_enqueue(task=DERIVE_TASK, key="webhooks:derive")


def _was_public(entry: AuditEntry) -> bool:
    """Whether readers could see the story when ``entry`` was written: the state
    the last state change before it left the story in."""
    state = (
        AuditEntry.objects.filter(
            article_id=entry.article_id, pk__lt=entry.pk, action__in=_STATE_ACTIONS
        )
        .exclude(to_state="")
        .order_by("-pk")
        .values_list("to_state", flat=True)
        .first()
    )
    return state in Article.PUBLIC_STATUSES


def _kinds(entry: AuditEntry) -> list[str]:
    """The events one audit entry makes (often none)."""
    Action = AuditEntry.Action
    transition = (
        entry.data.get("transition", "") if isinstance(entry.data, dict) else ""
    )
    if entry.action == Action.PUBLICATION:
        earlier = AuditEntry.objects.filter(
            article_id=entry.article_id, action=Action.PUBLICATION, pk__lt=entry.pk
        )
        return [EventKind.UPDATED if earlier.exists() else EventKind.PUBLISHED]
    if entry.action == Action.CORRECTION:
        return [EventKind.CORRECTED]
    if entry.action == Action.TRANSITION and transition == "retract":
        return [EventKind.RETRACTED]
    if entry.action == Action.TRANSITION and transition == "unpublish":
        return [EventKind.UNPUBLISHED]
    if entry.action == Action.REVIEW and _was_public(entry):
        return [EventKind.CLAIM_REVIEWED]
    # A claim changed on a public story reaches readers only through a
    # correction, which is its own event.
    return []


def _story(article: Article) -> dict:
    site = settings.SITE_URL
    return {
        "id": article.pk,
        "headline": article.headline,
        "status": article.status,
        "url": site + article.get_absolute_url(),
        "api_url": site + reverse("api:story", kwargs={"story_id": article.pk}),
        "ninjs_url": site + reverse("api:story_ninjs", kwargs={"story_id": article.pk}),
    }


def _payload(event_id: int, kind: str, entry: AuditEntry, article: Article) -> dict:
    """What partners receive: public facts only. The story's content is read
    from the public API (``story.api_url``); an internal reason (unpublishing)
    or a review's verdict and note (not public until the page shows it) never
    travel."""
    payload = {
        "id": event_id,
        "type": kind,
        "occurred_at": entry.created_at.isoformat(),
        "story": _story(article),
    }
    if kind in (EventKind.CORRECTED, EventKind.RETRACTED):
        payload["correction"] = {
            "kind": "retraction" if kind == EventKind.RETRACTED else "correction",
            "text": entry.message,
        }
    if entry.claim_id is not None:
        payload["claim"] = {"id": entry.claim_id}
    return payload


def _event_create(entry: AuditEntry, kind: str) -> Event | None:
    """The event of ``entry`` and ``kind`` with its deliveries, once."""
    if Event.objects.filter(audit_entry=entry, kind=kind).exists():
        return None
    article = Article.objects.select_related("section").get(pk=entry.article_id)
    event = Event.objects.create(
        kind=kind,
        audit_entry=entry,
        article=article,
        occurred_at=entry.created_at,
        payload={},
    )
    event.payload = _payload(event.pk, kind, entry, article)
    event.save(update_fields=["payload"])
    subscribers = [
        s for s in Subscription.objects.filter(active=True) if kind in s.events
    ]
    for subscription in subscribers:
        delivery = Delivery.objects.create(subscription=subscription, event=event)
        outbox_enqueue(
            task=DELIVER_TASK,
            kwargs={"delivery_id": delivery.pk},
            key=f"webhook-delivery:{delivery.pk}",
        )
    return event


def events_derive(*, now: datetime.datetime | None = None) -> int:
    """Make the events of audit entries not read yet; return how many.

    One run at a time (the cursor row is locked); safe to run at any moment.
    """
    now = now or timezone.now()
    overlap = datetime.timedelta(seconds=settings.WEBHOOK_AUDIT_OVERLAP_SECONDS)
    made = 0
    with transaction.atomic():
        cursor, _ = AuditCursor.objects.select_for_update().get_or_create(pk=1)
        entries = (
            AuditEntry.objects.filter(action__in=_ACTIONS)
            .filter(Q(pk__gt=cursor.last_entry_id) | Q(created_at__gte=now - overlap))
            .order_by("pk")[: settings.WEBHOOK_DERIVE_BATCH]
        )
        last = cursor.last_entry_id
        for entry in entries:
            for kind in _kinds(entry):
                made += _event_create(entry, kind) is not None
            last = max(last, entry.pk)
        if last != cursor.last_entry_id:
            cursor.last_entry_id = last
            cursor.save(update_fields=["last_entry_id"])
    return made


# ---------------------------------------------------------------- deliveries


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed try: doubling, capped."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


@dataclass(frozen=True)
class Outcome:
    delivered: bool = False
    retry_in: float | None = None  # seconds; None: nothing more to do now


def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | None:
    """Take a due, pending delivery of an active subscription for one try; the
    lease (the try's whole time) keeps any other worker off it meanwhile."""
    lease = datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 30)
    claimed = Delivery.objects.filter(
        pk=delivery_id,
        status=Delivery.Status.PENDING,
        next_attempt_at__lte=now,
        subscription__active=True,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + lease)
    if not claimed:
        return None
    return Delivery.objects.select_related("subscription", "event").get(pk=delivery_id)


def _send(delivery: Delivery) -> tuple[int | None, int, str]:
    """POST the event; (status code or None, milliseconds, error)."""
    body = json.dumps(delivery.event.payload, separators=(",", ":")).encode()
    subscription = delivery.subscription
    headers = {
        "Content-Type": "application/json",
        "Newsroom-Event": delivery.event.kind,
        "Newsroom-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(subscription.secret, int(time.time()), body),
    }
    started = time.monotonic()
    try:
        answer = links.fetch(
            subscription.url,
            method="POST",
            data=body,
            headers=headers,
            allow_private=settings.WEBHOOK_ALLOW_PRIVATE,
            follow_redirects=False,
            max_bytes=65_536,
            seconds=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
    except (links.RefusedAddress, links.FetchFailed) as error:
        return None, int((time.monotonic() - started) * 1000), str(error)[:1000]
    elapsed = int((time.monotonic() - started) * 1000)
    error = "" if 200 <= answer.status < 300 else f"HTTP {answer.status}"
    return answer.status, elapsed, error


def delivery_attempt(
    *, delivery_id: int, now: datetime.datetime | None = None
) -> Outcome:
    """Try one delivery if it is due; safe to run twice or at once with itself."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        pending = (
            Delivery.objects.filter(
                pk=delivery_id,
                status=Delivery.Status.PENDING,
                subscription__active=True,
            )
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        wait = (pending - now).total_seconds() if pending else None
        return Outcome(retry_in=max(wait, 1.0) if wait is not None else None)
    status, elapsed, error = _send(delivery)
    return _record(delivery, timezone.now(), status, elapsed, error)


def _record(delivery: Delivery, now, status, elapsed, error) -> Outcome:
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            at=now,
            status_code=status,
            response_ms=elapsed,
            error=error,
        )
        delivery.last_status_code, delivery.last_response_ms = status, elapsed
        delivery.last_error = error
        subscription = Subscription.objects.select_for_update().get(
            pk=delivery.subscription_id
        )
        if not error:
            delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
            delivery.save()
            Subscription.objects.filter(pk=subscription.pk).update(failures=0)
            return Outcome(delivered=True)
        retry_in = None
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
        else:
            wait = backoff(delivery.attempts)
            delivery.next_attempt_at = now + wait
            retry_in = wait.total_seconds()
        delivery.save()
        subscription.failures += 1
        subscription.save(update_fields=["failures"])
        if (
            subscription.active
            and subscription.failures >= settings.WEBHOOK_DISABLE_AFTER
        ):
            _disable(subscription, now, error)
    return Outcome(retry_in=retry_in)


def _disable(subscription: Subscription, now, error: str) -> None:
    subscription.active, subscription.disabled_at = False, now
    subscription.disabled_reason = (
        f"{subscription.failures} failed attempts in a row; the last: {error}"
    )
    subscription.save(update_fields=["active", "disabled_at", "disabled_reason"])
    users = get_user_model().objects.filter(is_active=True)
    notify(
        recipients=users.filter(
            Q(pk=subscription.created_by_id) | Q(is_superuser=True)
        ),
        verb=Notification.Verb.INTEGRATION_FAILING,
        message=f"The webhook “{subscription}” ({subscription.url}) was turned off "
        f"after {subscription.failures} failed attempts in a row (the last: "
        f"{error}). Its pending deliveries wait; turn it on again in the admin "
        "once the receiver is fixed.",
    )
    logger.warning("Webhook subscription %s disabled: %s", subscription.pk, error)


def deliveries_due(*, now: datetime.datetime | None = None, limit: int = 500):
    """Pending deliveries of active subscriptions whose next try is due."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status=Delivery.Status.PENDING,
        next_attempt_at__lte=now,
        subscription__active=True,
    )
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def delivery_redeliver(*, delivery_id: int) -> Delivery:
    """Send a delivery again, whatever happened to it (the admin's action): the
    receiver sees the same ``Newsroom-Delivery`` id and may ignore a repeat."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        delivery.status, delivery.attempts = Delivery.Status.PENDING, 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        outbox_enqueue(
            task=DELIVER_TASK,
            kwargs={"delivery_id": delivery.pk},
            key=f"webhook-delivery:{delivery.pk}",
        )
    return delivery


def subscription_enable(*, subscription_id: int) -> Subscription:
    """Turn a subscription on again: its waiting deliveries go out now."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription_id)
        subscription.active, subscription.failures = True, 0
        subscription.disabled_at, subscription.disabled_reason = None, ""
        subscription.save()
        waiting = subscription.deliveries.filter(status=Delivery.Status.PENDING)
        waiting.update(next_attempt_at=timezone.now())
        for delivery_id in waiting.values_list("pk", flat=True):
            outbox_enqueue(
                task=DELIVER_TASK,
                kwargs={"delivery_id": delivery_id},
                key=f"webhook-delivery:{delivery_id}",
            )
    return subscription
