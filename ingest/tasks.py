"""Background work of agency ingest: the beat sweep and one read per feed."""

from celery import shared_task

from ingest import services


@shared_task
def poll_agency_feeds_task() -> int:
    """Beat: queue a read of every feed that is due; missed runs catch up.

    Each feed is read by its own task, so a slow or broken feed holds up no
    other; a read queued twice is taken once (``feed_poll`` claims it).
    """
    due = services.feeds_due()
    for feed_id in due:
        poll_agency_feed_task.delay(feed_id)
    return len(due)


@shared_task
def poll_agency_feed_task(feed_id: int) -> dict | None:
    """Read one feed if it is still due. Safe to run twice or at once."""
    result = services.feed_poll(feed_id=feed_id)
    return vars(result) if result else None
