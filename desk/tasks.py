"""Background work of the desk: emails, scheduled publishing, reminders."""

import logging

from celery import shared_task
from django.db import OperationalError

# Module imports, not names: desk.notifications imports this module in turn.
from desk import services

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email_task(notification_id: int) -> bool:
    """Email one notification; sending twice is prevented by its ``emailed_at``."""
    return services.notification_email(notification_id=notification_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def publish_due_articles_task() -> list[int]:
    """Publish every scheduled story whose time has come, also ones missed while
    the workers were down."""
    return services.articles_publish_due()


@shared_task
def remind_waiting_claims_task() -> int:
    """Daily: tell assignees (or all fact-checkers) about claims waiting over a day."""
    return services.claims_remind_waiting()
