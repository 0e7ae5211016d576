"""In-app notifications, each also sent by email from a task after commit."""

from django.contrib.auth import get_user_model
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
