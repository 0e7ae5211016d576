"""Plumbing only: tell caches that what the public can see has changed.

Sent (after commit) by whoever changes a public story: a workflow
transition, an edit or a review of a published story. The reader site
listens and drops its cached pages.
"""

from django.db import transaction
from django.dispatch import Signal

public_content_changed = Signal()  # kwargs: article_id (None: possibly any story)


def announce_public_change(article_id: int | None) -> None:
    """Send ``public_content_changed`` once the current transaction commits."""
    transaction.on_commit(
        lambda: public_content_changed.send(
            sender="articles.Article", article_id=article_id
        )
    )
