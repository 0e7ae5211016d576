"""Desk orchestration: edits (revision, claim re-anchoring, background
proposals), assignments with notifications, scheduled publishing, reminders
and notification emails. Workflow transitions are in ``desk.workflow``."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from articles import services as article_services
from articles.content import ArticleContent
from articles.drafts import draft_discard
from articles.exceptions import ArticleEditForbidden
from articles.models import Article, ArticleRevision
from articles.permissions import can_edit_article
from audit.models import AuditEntry
from audit.services import audit_record
from desk import workflow
from desk.exceptions import ApprovalBlocked, InvalidTransition, PublicationBlocked
from desk.models import ErrorReport, Notification
from desk.notifications import (
    notify,
    notify_approval_lapsed,
    notify_correction_needed,
    notify_error_report,
    notify_publication_blocked,
)
from factcheck.models import Claim
from factcheck.selectors import blocker_reasons, claims_needing_correction
from factcheck.services import claims_assign, claims_propose_enqueue, claims_reanchor

logger = logging.getLogger(__name__)
REMINDER_AGE = datetime.timedelta(hours=24)


def _after_edit(article: Article, base: ArticleRevision, new: ArticleRevision, actor):
    if base.body == new.body:
        # The same text has the same claims: proposed already if they were.
        Article.objects.filter(pk=article.pk, claims_proposed_for=base).update(
            claims_proposed_for=new
        )
        return
    for claim in claims_reanchor(
        article=article, old_body=base.body, new_body=new.body
    ):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CLAIM_REOPENED,
            article=article,
            claim=claim,
            from_state=Claim.Review.REVIEWED,
            to_state=claim.review,
            data={
                "old_text": claim.previous_text,
                "new_text": claim.text,
                "revision": new.pk,
            },
        )
    claims_propose_enqueue(article_id=article.pk)


def article_start(
    *, actor, content: ArticleContent, summary: str = "", from_editor: bool = False
) -> Article:
    """Create a draft and queue claim proposals for it. ``from_editor``: typed
    on the add page, whose unsaved text (``articles.drafts``) is now saved."""
    if not actor.has_perm("articles.add_article"):
        raise ArticleEditForbidden("You may not create articles.")
    with transaction.atomic():
        article = article_services.article_create(
            actor=actor, content=content, summary=summary
        )
        claims_propose_enqueue(article_id=article.pk)
        if from_editor:
            draft_discard(user=actor, article=None)
    return article


def _lock_for_edit(article: Article, actor) -> None:
    """Lock the story and check the edit right on the locked row: a story
    published while the editor's form was open is no longer editable."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not can_edit_article(actor, locked):
        raise ArticleEditForbidden("You may not edit this article.")


def article_save(
    *,
    article: Article,
    actor,
    content: ArticleContent,
    base_revision_id: int | None,
    summary: str = "",
    choices: dict[str, str] | None = None,
) -> ArticleRevision:
    """Save an edit, merged with any save made since ``base_revision_id``
    (``articles.services.article_update``; its ``merge_note`` says what
    merged); the actor's unsaved text of the story is then discarded. Raises
    ``ArticleEditForbidden``, ``EditConflict`` (overlapping changes, with the
    choices to make) or ``ValidationError``; on any of them nothing is
    written."""
    with transaction.atomic():
        _lock_for_edit(article, actor)
        base, new = article_services.article_update(
            article_id=article.pk,
            actor=actor,
            content=content,
            base_revision_id=base_revision_id,
            summary=summary,
            choices=choices,
        )
        _after_edit(article, base, new, actor)
        draft_discard(user=actor, article=article)
    return new


def article_restore(
    *, article: Article, actor, revision_id: int, base_revision_id: int | None
) -> ArticleRevision:
    """Restore an old revision as a new one, with the same rules as an edit."""
    with transaction.atomic():
        _lock_for_edit(article, actor)
        base, new = article_services.article_restore(
            article_id=article.pk,
            actor=actor,
            revision_id=revision_id,
            base_revision_id=base_revision_id,
        )
        _after_edit(article, base, new, actor)
    return new


def story_claims_changed(*, article_id: int) -> None:
    """After a claim of an approved, scheduled or public story changed, tell the
    people who must act: a public claim needs a correction before readers see
    the change; an approval that no longer vouches for every blocking claim
    holds the story back. Safe to run twice."""
    article = Article.objects.get(pk=article_id)
    if article.status in Article.PUBLIC_STATUSES:
        changes = claims_needing_correction(article_id=article_id)
        if changes:
            notify_correction_needed(article=article, changes=changes)
    elif article.status in {Article.Status.APPROVED, Article.Status.SCHEDULED}:
        gate = workflow.story_gate(article)
        if gate.approval_current and gate.unvouched:
            notify_approval_lapsed(
                article=article, reasons=blocker_reasons(gate.unvouched)
            )


def claims_assign_and_notify(
    *, claim_ids: list[int], actor, assignee, due_at=None, expected_versions=None
) -> list[Claim]:
    """Assign claims (``factcheck.services.claims_assign``); tell the assignee."""
    with transaction.atomic():
        claims = claims_assign(
            claim_ids=claim_ids,
            actor=actor,
            assignee=assignee,
            due_at=due_at,
            expected_versions=expected_versions,
        )
        if claims and assignee != actor:
            due = f", due {timezone.localtime(due_at):%Y-%m-%d %H:%M}" if due_at else ""
            notify(
                recipients=[assignee],
                verb=Notification.Verb.ASSIGNED,
                article=claims[0].article,
                message=f"{len(claims)} claim(s) of “{claims[0].article}” "
                f"assigned to you{due}.",
            )
    return claims


def articles_publish_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Publish scheduled stories whose time has come; return the published ids.

    Each story is published in its own transaction with its row locked, so two
    sweeps at once publish it once; a story still embargoed or blocked stays
    scheduled and is retried at the next sweep.
    """
    now = now or timezone.now()
    published = []
    due = Article.objects.filter(status=Article.Status.SCHEDULED, publish_at__lte=now)
    for article_id in due.values_list("pk", flat=True):
        try:
            workflow.article_transition(
                article_id=article_id, actor=None, name="publish", now=now
            )
        except InvalidTransition:
            continue  # Published (or unscheduled) by someone else meanwhile.
        except (ApprovalBlocked, PublicationBlocked) as error:
            logger.warning("Scheduled story %s not published: %s", article_id, error)
            _notify_publication_blocked(
                article_id=article_id, reason=str(error), now=now
            )
            continue
        published.append(article_id)
    return published


def _notify_publication_blocked(
    *, article_id: int, reason: str, now: datetime.datetime
) -> None:
    """Tell the story's people and the publishers why a due story did not go
    out: once per schedule, however often the sweep retries it."""
    with transaction.atomic():
        article = (
            Article.objects.select_for_update()
            .filter(pk=article_id, status=Article.Status.SCHEDULED, publish_at__lte=now)
            .first()
        )
        if article is None:  # Unscheduled or moved meanwhile: nothing to report.
            return
        told = Notification.objects.filter(
            article=article, verb=Notification.Verb.PUBLICATION_BLOCKED
        )
        scheduled = (
            AuditEntry.objects.filter(
                article=article, to_state=Article.Status.SCHEDULED
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        # Told since this schedule began; a story scheduled outside the
        # workflow has no such entry, and is reported once.
        if scheduled is not None:
            told = told.filter(created_at__gte=scheduled)
        if not told.exists():
            notify_publication_blocked(article=article, reason=reason)


def claims_remind_waiting(*, now: datetime.datetime | None = None) -> int:
    """Remind assignees (or every fact-checker, for unassigned claims) of claims
    waiting for review over a day. Returns the number of notifications."""
    now = now or timezone.now()
    waiting = (
        Claim.objects.filter(
            review__in=Claim.AWAITING_REVIEW, created_at__lte=now - REMINDER_AGE
        )
        .exclude(anchor=Claim.Anchor.DETACHED)
        .filter(article__status__in=[Article.Status.SUBMITTED, Article.Status.DRAFT])
    )
    per_user: dict[int, int] = {}
    for assignee_id in waiting.values_list("assignee_id", flat=True):
        per_user[assignee_id] = per_user.get(assignee_id, 0) + 1
    unassigned = per_user.pop(None, 0)
    users = get_user_model().objects.filter(is_active=True)
    checkers = list(
        users.filter(Q(groups__name="fact-checker") | Q(pk__in=per_user)).distinct()
    )
    sent = 0
    with transaction.atomic():
        for user in checkers:
            count = per_user.get(user.pk, 0) + unassigned
            if count:
                notify(
                    recipients=[user],
                    verb=Notification.Verb.REMINDER,
                    message=f"{count} claim(s) have waited for review over 24 hours.",
                )
                sent += 1
    return sent


def notifications_mark_read(*, user) -> int:
    """Mark all of ``user``'s unread notifications read; return how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_email(*, notification_id: int) -> bool:
    """Send a notification's email once; return whether it was sent now."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "article")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        context = {
            "notification": notification,
            "newsroom_name": settings.NEWSROOM_NAME,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(
            "desk/email/notification_subject.txt", context
        ).strip()
        email = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("desk/email/notification.txt", context),
            to=[notification.recipient.email],
        )
        email.attach_alternative(
            render_to_string("desk/email/notification.html", context), "text/html"
        )
        email.send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def error_report_submit(
    *,
    article: Article,
    message: str,
    name: str = "",
    email: str = "",
    claim: Claim | None = None,
) -> ErrorReport:
    """Store a reader's error report on a public story and tell the standards
    desk (its notifications and emails go out once this commits)."""
    if article.status not in Article.PUBLIC_STATUSES:
        raise ValidationError("Reports are taken on published stories only.")
    if claim is not None and claim.article_id != article.pk:
        raise ValidationError("That claim is not part of this story.")
    report = ErrorReport(
        article=article,
        claim=claim,
        message=message.strip(),
        name=name.strip(),
        email=email.strip(),
    )
    with transaction.atomic():
        report.full_clean()
        report.save()
        notify_error_report(report=report)
    return report


def error_report_handle(
    *, report_id: int, actor, status: str, note: str = ""
) -> ErrorReport:
    """Mark a new report handled (or spam), with an audit entry.

    Raises ``PermissionDenied`` without ``desk.change_errorreport``,
    ``InvalidTransition`` for a report already marked (by someone else, say)
    and ``ValidationError`` for a status other than handled or spam."""
    if not actor.has_perm("desk.change_errorreport"):
        raise PermissionDenied("Only the standards desk handles readers' reports.")
    if status not in (ErrorReport.Status.HANDLED, ErrorReport.Status.SPAM):
        raise ValidationError("Mark a report handled or spam.")
    with transaction.atomic():
        report = ErrorReport.objects.select_for_update().get(pk=report_id)
        if report.status != ErrorReport.Status.NEW:
            raise InvalidTransition(
                f"This report was already marked {report.get_status_display()}."
            )
        before = report.status
        report.status, report.handled_by = status, actor
        report.handled_at, report.handling_note = timezone.now(), note.strip()
        report.full_clean()
        report.save(
            update_fields=["status", "handled_by", "handled_at", "handling_note"]
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.ERROR_REPORT,
            article=report.article,
            claim=report.claim,
            from_state=before,
            to_state=status,
            message=report.handling_note,
            data={"error_report": report.pk},
        )
    return report
