"""In-app notifications, each also sent by email from a task after commit."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from desk.models import Notification
from outbox.services import outbox_enqueue

_TRANSITION_VERBS = {
    "request_changes": Notification.Verb.CHANGES_REQUESTED,
    "approve": Notification.Verb.APPROVED,
    "override_approve": Notification.Verb.APPROVED,
    "publish": Notification.Verb.PUBLISHED,
}


def notify(
    *, recipients, verb: str, message: str, article: Article | None = None
) -> list:
    """Create one notification per recipient and email each once committed."""
    created = Notification.objects.bulk_create(
        Notification(recipient=user, verb=verb, message=message, article=article)
        for user in {user.pk: user for user in recipients}.values()
    )
    for notification in created:
        outbox_enqueue(
            task="desk.tasks.send_notification_email_task",
            kwargs={"notification_id": notification.pk},
        )
    return created


def _story_people(article: Article) -> list:
    users = get_user_model().objects.filter(is_active=True)
    return list(
        users.filter(pk=article.created_by_id) | users.filter(bylined_articles=article)
    )


def _publishers() -> list:
    return list(
        get_user_model().objects.filter(is_active=True, groups__name="publisher")
    )


def _standards_desk() -> list:
    """Whoever reads readers' error reports (``desk.view_errorreport``)."""
    users = get_user_model().objects.filter(is_active=True)
    holders = Q(
        groups__permissions__content_type__app_label="desk",
        groups__permissions__codename="view_errorreport",
    ) | Q(
        user_permissions__content_type__app_label="desk",
        user_permissions__codename="view_errorreport",
    )
    return list(users.filter(holders | Q(is_superuser=True)).distinct())


def notify_error_report(*, report) -> None:
    """A reader reported an error: the standards desk's inbox has a new item."""
    about = f" about “{report.claim.text[:60]}”" if report.claim_id else ""
    notify(
        recipients=_standards_desk(),
        verb=Notification.Verb.ERROR_REPORT,
        message=f"A reader reported an error in “{report.article}”{about}: "
        f"{report.message[:200]}",
        article=report.article,
    )


def notify_publication_blocked(*, article: Article, reason: str) -> None:
    """A due story stayed scheduled: its people and the publishers must act."""
    due = timezone.localtime(article.publish_at)
    notify(
        recipients=_story_people(article) + _publishers(),
        verb=Notification.Verb.PUBLICATION_BLOCKED,
        message=f"“{article}” was due at {due:%Y-%m-%d %H:%M %Z} but was not "
        f"published: {reason}",
        article=article,
    )


def notify_transition(
    *, article: Article, transition_name: str, actor, message: str
) -> None:
    verb = _TRANSITION_VERBS.get(transition_name)
    if verb is None:
        return
    recipients = _story_people(article)
    if verb == Notification.Verb.APPROVED:
        recipients += _publishers()
    by = actor.get_full_name() or actor.get_username() if actor else "The schedule"
    text = {
        Notification.Verb.CHANGES_REQUESTED: f"{by} sent “{article}” back: {message}",
        Notification.Verb.APPROVED: f"{by} approved “{article}”.",
        Notification.Verb.PUBLISHED: f"“{article}” is published.",
    }[verb]
    notify(
        recipients=[u for u in recipients if u != actor],
        verb=verb,
        message=text,
        article=article,
    )


def _notify_once(*, article: Article, verb: str, message: str) -> None:
    """Tell the story's people and the publishers, except whoever still has an
    unread notice of this kind about it (the task behind it may run twice)."""
    told = set(
        Notification.objects.filter(
            article=article, verb=verb, read_at__isnull=True
        ).values_list("recipient_id", flat=True)
    )
    recipients = [u for u in _story_people(article) + _publishers() if u.pk not in told]
    notify(recipients=recipients, verb=verb, message=message, article=article)


def notify_correction_needed(*, article: Article, changes: list) -> None:
    """Claims of a public story changed: readers see them only after a correction."""
    what = "; ".join(f"“{c.claim.text[:60]}” {c.change}" for c in changes[:3])
    more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
    _notify_once(
        article=article,
        verb=Notification.Verb.CORRECTION_NEEDED,
        message=f"{len(changes)} claim(s) of “{article}” changed since publication "
        f"and need a correction before readers see them: {what}{more}.",
    )


def notify_approval_lapsed(*, article: Article, reasons: list[str]) -> None:
    """A claim changed after approval: the story cannot be scheduled or published."""
    _notify_once(
        article=article,
        verb=Notification.Verb.APPROVAL_LAPSED,
        message=f"“{article}” can no longer be scheduled or published: "
        f"{'; '.join(reasons)}. Have the claims reviewed, or a publisher may "
        "approve it despite them with a reason.",
    )
