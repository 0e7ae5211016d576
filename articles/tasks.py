"""Background work of the articles app, started through the outbox."""

from celery import shared_task

from articles.signals import public_content_changed


@shared_task
def announce_public_change_task(article_id: int | None) -> None:
    """Tell the caches that what readers see has changed (see ``articles.signals``).

    Its receivers drop cached pages and stored renders; running it twice only
    drops them twice.
    """
    public_content_changed.send(sender="articles.Article", article_id=article_id)
