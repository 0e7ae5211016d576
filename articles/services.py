"""Writes to articles: create, update with conflict detection, restore,
edit sessions and preview links.

An update names the revision its form started from. If another save came in
between, the two edits are merged against that revision (``articles.merge``):
changes to different paragraphs or fields are saved together, and the new
revision says so (``merged_from``, ``merge_note``); overlapping changes raise
``EditConflict`` with the conflicts to choose from, and nothing is written.
The row is locked with ``select_for_update`` and, because SQLite ignores that
lock, the final write is also a compare-and-set on ``current_revision``.
"""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from articles.content import ArticleContent
from articles.exceptions import EditConflict, PreviewLinkInvalid
from articles.merge import merge_contents
from articles.models import Article, ArticleRevision, Byline, EditSession, PreviewLink
from articles.permissions import byline_refusal

PREVIEW_SALT = "articles.preview-link"


def _write_revision(
    *,
    article: Article,
    content: ArticleContent,
    actor,
    summary: str,
    restored_from=None,
    merged_from=None,
    merge_note: str = "",
) -> ArticleRevision:
    last = article.revisions.aggregate(last=Max("number"))["last"] or 0
    revision = ArticleRevision(
        article=article,
        number=last + 1,
        saved_by=actor,
        summary=summary,
        restored_from=restored_from,
        merged_from=merged_from,
        merge_note=merge_note,
        author_ids=list(content.author_ids),
        tag_ids=list(content.tag_ids),
        **content.scalar_values(),
    )
    revision.full_clean(exclude=["article", "saved_by", "section"])
    revision.save()
    return revision


def _check_bylines(*, actor, content: ArticleContent, already: list[int]) -> None:
    """``ValidationError`` for a byline ``actor`` may not give (``byline_refusal``)."""
    if list(content.author_ids) == already:
        return
    refusal = byline_refusal(
        actor=actor, credited=list(content.author_ids), already=already
    )
    if refusal:
        raise ValidationError({"byline_users": refusal})


def _set_relations(article: Article, content: ArticleContent) -> None:
    Byline.objects.filter(article=article).delete()
    Byline.objects.bulk_create(
        Byline(article=article, user_id=user_id, position=position)
        for position, user_id in enumerate(content.author_ids)
    )
    article.tags.set(content.tag_ids)


def article_create(*, actor, content: ArticleContent, summary: str = "") -> Article:
    """Create a draft article and its first revision.

    Raises ``ValidationError`` for invalid content (e.g. a slug already used
    in the section that day, or a byline ``articles.permissions`` refuses).
    """
    _check_bylines(actor=actor, content=content, already=[])
    with transaction.atomic():
        article = Article(created_by=actor, **content.scalar_values())
        article.full_clean()
        article.save()
        revision = _write_revision(
            article=article, content=content, actor=actor, summary=summary or "Created"
        )
        article.current_revision = revision
        article.save(update_fields=["current_revision"])
        _set_relations(article, content)
    return article


def _merge_stale(
    *, article: Article, content: ArticleContent, base_revision_id, choices
) -> tuple[ArticleContent, ArticleRevision, str]:
    """Merge an edit made from an older revision into the current one: return
    the merged content, the base and a note for the user; ``EditConflict``
    when the edits overlap (or the base is unknown)."""
    current = article.current_revision
    base = ArticleRevision.objects.filter(pk=base_revision_id, article=article).first()
    if base is None:
        raise EditConflict(base=None, current=current)
    merge = merge_contents(
        ArticleContent.of_revision(base),
        content,
        ArticleContent.of_revision(current),
        choices,
    )
    if not merge.clean:
        raise EditConflict(base=base, current=current, merge=merge)
    who = current.saved_by.get_full_name() or current.saved_by.get_username()
    changes = ", ".join(merge.theirs_changed)
    note = (
        f"Merged with {who}'s changes to {changes} (revision {current.number})."
        if changes
        else f"Merged with {who}'s revision {current.number}."
    )
    return merge.content, base, note[:300]


def article_update(
    *,
    article_id: int,
    actor,
    content: ArticleContent,
    base_revision_id: int | None,
    summary: str = "",
    restored_from: ArticleRevision | None = None,
    choices: dict[str, str] | None = None,
) -> tuple[ArticleRevision, ArticleRevision]:
    """Save new content as a new revision; return ``(previous, new)`` revisions.

    Preconditions: ``base_revision_id`` is the revision the editor's form was
    built from. If the article has moved on since, the edit is merged with
    the saves made meanwhile (``articles.merge``; ``choices`` settles
    conflicts by key) and the new revision's ``merge_note`` says so. Raises
    ``EditConflict`` for overlapping changes not settled by ``choices``, and
    ``ValidationError`` for invalid content. A save that changes nothing
    writes nothing and returns the current revision twice.
    """
    with transaction.atomic():
        # Not joined with its revision: after waiting for the lock, a join
        # would read the revision as it was before the wait (none, if new).
        article = Article.objects.select_for_update().get(pk=article_id)
        current = article.current_revision
        merged_from, merge_note = None, ""
        if current is None:
            raise EditConflict(base=None, current=current)
        if current.pk != base_revision_id:
            content, merged_from, merge_note = _merge_stale(
                article=article,
                content=content,
                base_revision_id=base_revision_id,
                choices=choices,
            )
        if not ArticleContent.of_revision(current).changed_fields(content):
            return current, current
        _check_bylines(actor=actor, content=content, already=current.author_ids)
        for name, value in content.scalar_values().items():
            setattr(article, name, value)
        article.full_clean(exclude=["current_revision"])
        revision = _write_revision(
            article=article,
            content=content,
            actor=actor,
            summary=summary,
            restored_from=restored_from,
            merged_from=merged_from,
            merge_note=merge_note,
        )
        written = Article.objects.filter(
            pk=article_id, current_revision=current
        ).update(
            current_revision=revision,
            updated_at=timezone.now(),
            **content.scalar_values(),
        )
        if (
            written != 1
        ):  # Another writer got in first (only possible without row locks).
            raise EditConflict(
                base=current,
                current=Article.objects.get(pk=article_id).current_revision,
            )
        _set_relations(article, content)
    return current, revision


def article_restore(
    *, article_id: int, revision_id: int, actor, base_revision_id: int | None
) -> tuple[ArticleRevision, ArticleRevision]:
    """Bring back an old revision's content as a new revision (history is kept).

    Raises ``ArticleRevision.DoesNotExist`` for a revision of another article
    and ``EditConflict`` like ``article_update``.
    """
    old = ArticleRevision.objects.get(pk=revision_id, article_id=article_id)
    return article_update(
        article_id=article_id,
        actor=actor,
        content=ArticleContent.of_revision(old),
        base_revision_id=base_revision_id,
        summary=f"Restored revision {old.number}",
        restored_from=old,
    )


def edit_session_touch(*, article: Article, user) -> None:
    """Record that ``user`` has the article's edit page open now."""
    EditSession.objects.update_or_create(
        article=article, user=user, defaults={"last_seen": timezone.now()}
    )


def preview_link_create(
    *, article: Article, actor, expires_at: datetime.datetime, note: str = ""
) -> PreviewLink:
    """Create a preview link; its address comes from ``preview_link_token``."""
    link = PreviewLink(
        article=article, created_by=actor, expires_at=expires_at, note=note
    )
    link.full_clean()
    link.save()
    return link


def preview_link_token(link: PreviewLink) -> str:
    """The signed token in the link's address (unforgeable, revocable by row)."""
    return signing.dumps(link.pk, salt=PREVIEW_SALT)


def preview_link_revoke(*, link_id: int, actor) -> PreviewLink:
    with transaction.atomic():
        link = PreviewLink.objects.select_for_update().get(pk=link_id)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
    return link


def preview_link_resolve(token: str) -> PreviewLink:
    """The usable link behind a token; ``PreviewLinkInvalid`` otherwise."""
    try:
        link_id = signing.loads(token, salt=PREVIEW_SALT)
        link = PreviewLink.objects.select_related("article").get(pk=link_id)
    except (signing.BadSignature, PreviewLink.DoesNotExist, TypeError, ValueError):
        raise PreviewLinkInvalid("This preview link is not valid.") from None
    if not link.is_usable(timezone.now()):
        raise PreviewLinkInvalid("This preview link has expired or was revoked.")
    return link
