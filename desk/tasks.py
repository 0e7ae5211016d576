"""Background work of the desk: emails, scheduled publishing, reminders.

Every task retries on transient errors (``newsroom.celery.Task``) and is safe
to run twice.
"""

from celery import shared_task

from desk import services


@shared_task
def send_notification_email_task(notification_id: int) -> bool:
    """Email one notification; sending twice is prevented by its ``emailed_at``."""
    return services.notification_email(notification_id=notification_id)


@shared_task
def publish_due_articles_task() -> list[int]:
    """Publish every scheduled story whose time has come, also ones missed while
    the workers were down."""
    return services.articles_publish_due()


@shared_task
def remind_waiting_claims_task() -> int:
    """Daily: tell assignees (or all fact-checkers) about claims waiting over a day."""
    return services.claims_remind_waiting()


@shared_task
def story_claims_changed_task(article_id: int) -> None:
    """A claim of an approved, scheduled or public story changed: tell who must act."""
    services.story_claims_changed(article_id=article_id)
