"""Plumbing only: tell caches that what the public can see has changed.

Sent (after commit) by whoever changes a public story: a workflow
transition, an edit or a review of a published story; and, through the
receivers below, by any change to a section, a tag or a credited name, which
every public page may print, and to a picture a public story shows. The
reader site listens, drops its cached pages and marks its stored story
renders stale.
"""

from django.db.models import Q
from django.dispatch import Signal

from articles.models import Article, Byline
from outbox.services import outbox_enqueue

public_content_changed = Signal()  # kwargs: article_id (None: possibly any story)


def announce_public_change(article_id: int | None) -> None:
    """Send ``public_content_changed`` once the current transaction commits.

    Through the outbox: written with the change, so a cache that is down when
    it commits still hears of it once it is back.
    """
    outbox_enqueue(
        task="articles.tasks.announce_public_change_task",
        kwargs={"article_id": article_id},
    )


def announce_any_change(**kwargs) -> None:
    """Receiver for models whose names public pages print (sections, tags)."""
    announce_public_change(None)


_CREDITED_FIELDS = {"first_name", "last_name", "username"}


def announce_credited_name_change(instance, update_fields=None, **kwargs) -> None:
    """Receiver for users: a byline on a public story prints the user's name."""
    # A sign-in saves last_login alone, which no page prints.
    if update_fields is not None and not _CREDITED_FIELDS & set(update_fields):
        return
    if Byline.objects.filter(
        user=instance, article__status__in=Article.PUBLIC_STATUSES
    ).exists():
        announce_public_change(None)


def announce_picture_change(instance, **kwargs) -> None:
    """Receiver for pictures: public pages print a picture's caption, credit and
    alt text, and its renditions' addresses (a moved focal point)."""
    shown = Article.objects.filter(status__in=Article.PUBLIC_STATUSES).filter(
        Q(lead_image=instance) | Q(body__contains=f"(picture:{instance.pk}")
    )
    if shown.exists():
        announce_public_change(None)
