"""Autosave: each user's unsaved typing, kept on the server between saves.

The edit page sends its text fields every few seconds (``static/editorial/
autosave.js``); ``draft_keep`` stores them in the user's ``DraftBuffer`` for
that story, never in a revision, so an autosave cannot overwrite anyone's
saved work. When the page is opened again, ``draft_to_restore`` offers the
buffer back if it holds text the story does not; a save that lands discards
it (``draft_discard``, called by the desk's save services).
"""

import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.exceptions import DraftRefused
from articles.models import Article, ArticleRevision, DraftBuffer
from articles.permissions import can_edit_article

# The text fields of the edit form the page keeps.
DRAFT_FIELDS = ("headline", "slug", "dek", "body", "dateline", "contributor_credit")
MAX_DRAFT_CHARS = 200_000
# The page sends at most every 5 s while typing; this leaves room for retries
# after a network blip and stops a runaway script.
KEEPS_PER_MINUTE = 30


def _check_allowed(user, article: Article | None) -> None:
    allowed = (
        can_edit_article(user, article)
        if article is not None
        else user.has_perm("articles.add_article")
    )
    if not allowed:
        raise PermissionDenied("You may not edit this story.")


def _check_rate(user) -> None:
    window = int(time.time() // 60)
    key = f"articles:draft-keeps:{user.pk}:{window}"
    try:
        cache.add(key, 0, timeout=61)
        used = cache.incr(key)
    except ValueError:  # The window's counter expired between add and incr.
        return
    if used > KEEPS_PER_MINUTE:
        raise DraftRefused(
            "Unsaved text is being sent too often; it is kept in this browser "
            "meanwhile.",
            retry_after=60 - int(time.time()) % 60,
        )


def draft_keep(
    *,
    user,
    article: Article | None,
    fields: dict[str, str],
    base_revision_id: int | None,
) -> DraftBuffer:
    """Keep ``user``'s unsaved text of ``article`` (``None``: a new story).

    Only the text fields in ``DRAFT_FIELDS`` are kept. Raises
    ``PermissionDenied`` if the user may not edit the story, ``DraftRefused``
    for text over ``MAX_DRAFT_CHARS`` or keeps sent too often.
    """
    _check_allowed(user, article)
    kept = {
        name: str(value).replace("\r\n", "\n")
        for name, value in fields.items()
        if name in DRAFT_FIELDS
    }
    size = sum(len(value) for value in kept.values())
    if size > MAX_DRAFT_CHARS:
        raise DraftRefused(
            f"This text is {size:,} characters long; unsaved text is kept on the "
            f"server up to {MAX_DRAFT_CHARS:,}. Save the story to keep it."
        )
    _check_rate(user)
    base = None
    if article is not None and base_revision_id is not None:
        base = ArticleRevision.objects.filter(
            pk=base_revision_id, article=article
        ).first()
    draft, _ = DraftBuffer.objects.update_or_create(
        user=user,
        key=DraftBuffer.key_for(article),
        defaults={
            "article": article,
            "fields": kept,
            "base_revision": base,
            "saved_at": timezone.now(),
        },
    )
    return draft


def draft_discard(*, user, article: Article | None) -> None:
    """Forget ``user``'s unsaved text of ``article``: their save has landed."""
    DraftBuffer.objects.filter(user=user, key=DraftBuffer.key_for(article)).delete()


def draft_to_restore(*, user, article: Article | None) -> DraftBuffer | None:
    """The user's unsaved text of ``article`` if it differs from the story as
    saved (for a new story: if it holds any text); else ``None``."""
    draft = DraftBuffer.objects.filter(
        user=user, key=DraftBuffer.key_for(article)
    ).first()
    if draft is None:
        return None
    if article is None:
        return draft if any(v.strip() for v in draft.fields.values()) else None
    saved = {name: getattr(article, name) for name in DRAFT_FIELDS}
    differs = any(saved.get(name) != value for name, value in draft.fields.items())
    return draft if differs else None
