"""Editorial conversation: comments on a story's paragraphs and claims.

A thread opens on a paragraph (or a claim) of a story; anyone on the staff
who may see the story replies. ``@username`` or ``@First Last`` mentions a
colleague, who is notified in the app and by email (``desk.notifications``,
through the outbox); the thread's opener hears of replies. A thread is
resolved and reopened by its opener or by whoever may edit the story. Every
comment, resolution and reopening is in the audit log. Readers never see any
of it: only the staff's editing page and the desk's claim page show threads
(read by ``desk.selectors.comment_panel``).
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.merge import split_paragraphs
from articles.models import Article
from articles.permissions import can_edit_article
from audit.models import AuditEntry
from audit.services import audit_record
from desk.models import Comment, Notification
from desk.notifications import notify
from factcheck.models import Claim

_MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)(?:\s+([A-Z][\w'-]+))?")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _check_can_see(user, article: Article) -> None:
    staff = user.is_active and user.is_staff
    if not (staff and user.has_perm("articles.view_article")):
        raise PermissionDenied("You may not take part in this story's comments.")


def mentioned_users(text: str) -> list:
    """Active staff named in ``text`` as ``@username``, ``@First Last`` or
    ``@First`` (when one colleague alone has that first name)."""
    staff = get_user_model().objects.filter(is_active=True, is_staff=True)
    found = {}
    for first, second in _MENTION.findall(text):
        user = None
        if second:
            user = staff.filter(
                first_name__iexact=first, last_name__iexact=second
            ).first()
        if user is None:
            user = staff.filter(username__iexact=first.rstrip(".")).first()
        if user is None:
            by_first = list(staff.filter(first_name__iexact=first)[:2])
            user = by_first[0] if len(by_first) == 1 else None
        if user is not None:
            found[user.pk] = user
    return list(found.values())


def _tell(comment: Comment, mentioned: list, thread: Comment | None) -> None:
    article, by = comment.article, _name(comment.author)
    excerpt = comment.text if len(comment.text) <= 140 else comment.text[:139] + "…"
    where = "a claim" if comment.claim_id else f"paragraph {comment.paragraph}"
    notify(
        recipients=[u for u in mentioned if u != comment.author],
        verb=Notification.Verb.MENTIONED,
        article=article,
        message=f"{by} mentioned you on {where} of “{article}”: {excerpt}",
    )
    replied_to = thread.author if thread is not None else None
    if replied_to not in (None, comment.author, *mentioned):
        notify(
            recipients=[replied_to],
            verb=Notification.Verb.COMMENT_REPLY,
            article=article,
            message=f"{by} replied to your comment on “{article}”: {excerpt}",
        )


def comment_add(
    *,
    actor,
    article: Article,
    text: str,
    paragraph: int | None = None,
    claim: Claim | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Open a thread on a paragraph or a claim of ``article``, or reply to
    ``parent``. Raises ``PermissionDenied`` for someone who may not see the
    story, ``ValidationError`` for an empty text, a paragraph the body does
    not have, a claim of another story, or a reply to a reply."""
    _check_can_see(actor, article)
    text = text.strip()
    if not text:
        raise ValidationError("Write something first.")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        thread = None
        quote = ""
        if parent is not None:
            thread = Comment.objects.select_related("author").get(pk=parent.pk)
            if thread.article_id != article.pk or thread.parent_id is not None:
                raise ValidationError("Reply to a thread of this story.")
            paragraph, claim = thread.paragraph, thread.claim
        elif claim is not None:
            if claim.article_id != article.pk:
                raise ValidationError("That claim is not part of this story.")
            quote = claim.text
        else:
            paragraphs = split_paragraphs(locked.body)
            if paragraph is None or not 1 <= paragraph <= len(paragraphs):
                raise ValidationError("Choose a paragraph of the story.")
            quote = paragraphs[paragraph - 1]
        comment = Comment(
            article=locked,
            parent=thread,
            claim=claim,
            paragraph=paragraph,
            quote=quote,
            author=actor,
            text=text,
        )
        comment.full_clean()
        comment.save()
        mentioned = mentioned_users(text)
        comment.mentions.set(mentioned)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.COMMENT,
            article=locked,
            claim=claim,
            message=text,
            data={
                "comment": comment.pk,
                "thread": thread.pk if thread else comment.pk,
                "paragraph": paragraph,
                "mentions": [u.get_username() for u in mentioned],
            },
        )
        _tell(comment, mentioned, thread)
    return comment


def _may_settle(user, thread: Comment) -> bool:
    return thread.author_id == user.pk or can_edit_article(user, thread.article)


def _settle(*, actor, comment_id: int, resolve: bool) -> Comment:
    with transaction.atomic():
        thread = (
            Comment.objects.select_for_update()
            .select_related("article")
            .get(pk=comment_id, parent=None)
        )
        _check_can_see(actor, thread.article)
        if not _may_settle(actor, thread):
            raise PermissionDenied(
                "Only the thread's author or an editor of the story may do that."
            )
        if (thread.resolved_at is not None) == resolve:
            return thread  # Someone did it already: nothing to record twice.
        thread.resolved_at = timezone.now() if resolve else None
        thread.resolved_by = actor if resolve else None
        thread.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.COMMENT,
            article=thread.article,
            claim=thread.claim,
            from_state="resolved" if not resolve else "open",
            to_state="resolved" if resolve else "open",
            data={"comment": thread.pk, "thread": thread.pk},
        )
    return thread


def comment_resolve(*, actor, comment_id: int) -> Comment:
    """Mark a thread resolved. Raises ``Comment.DoesNotExist`` for a reply or
    an unknown id and ``PermissionDenied`` for someone who may not."""
    return _settle(actor=actor, comment_id=comment_id, resolve=True)


def comment_reopen(*, actor, comment_id: int) -> Comment:
    """Open a resolved thread again; the same rules as ``comment_resolve``."""
    return _settle(actor=actor, comment_id=comment_id, resolve=False)
