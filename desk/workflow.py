"""The editorial workflow: one transition table for the admin, the desk pages,
the tasks and the tests.

    draft ──submit──▶ submitted ──approve / override_approve──▶ approved
      ▲                   │                                      │   │
      └─request_changes───┴──────────────────────────────────────┘   │
      ▲                                              schedule ◀──────┤
      │                                 scheduled ──publish──▶ published ◀─┐
      │                     unschedule ◀──┘          (or approved─publish)  │
      │                                                      │ correct ─▶ corrected
      └──reopen── unpublished ◀──unpublish── published/corrected ──retract──▶ retracted

Rules beyond the table: nobody approves a story they wrote or edited; the
approval gate (every live claim reviewed, none misattributed or false) holds
unless a publisher overrides it with a written reason; nothing publishes
before its embargo; publishing re-checks the gate, so a claim reopened by an
edit after approval blocks publication until it is reviewed again.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.permissions import can_edit_article
from articles.selectors import article_contributor_ids
from articles.signals import announce_public_change
from audit.models import AuditEntry
from audit.services import audit_record
from desk.exceptions import (
    ApprovalBlocked,
    InvalidTransition,
    PublicationBlocked,
    TransitionForbidden,
)
from desk.models import Correction
from desk.notifications import notify_transition
from factcheck.exceptions import SelfReviewForbidden
from factcheck.selectors import approval_blockers

S = Article.Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str
    needs_message: bool = False  # a written reason or note is required
    needs_time: bool = False  # a publication time is required
    separation_of_duties: bool = False  # refused to the story's own writers and editors
    owner_or_editor: bool = False  # reporters may act only on stories they may edit


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        "Submit for fact-check",
        (S.DRAFT,),
        S.SUBMITTED,
        "articles.submit_article",
        owner_or_editor=True,
    ),
    Transition(
        "approve",
        "Approve",
        (S.SUBMITTED,),
        S.APPROVED,
        "articles.approve_article",
        separation_of_duties=True,
    ),
    Transition(
        "override_approve",
        "Approve despite open claims",
        (S.SUBMITTED,),
        S.APPROVED,
        "articles.override_approval_gate",
        needs_message=True,
        separation_of_duties=True,
    ),
    Transition(
        "request_changes",
        "Request changes",
        (S.SUBMITTED, S.APPROVED, S.SCHEDULED),
        S.DRAFT,
        "articles.approve_article",
        needs_message=True,
    ),
    Transition(
        "schedule",
        "Schedule",
        (S.APPROVED,),
        S.SCHEDULED,
        "articles.publish_article",
        needs_time=True,
    ),
    Transition(
        "unschedule",
        "Cancel schedule",
        (S.SCHEDULED,),
        S.APPROVED,
        "articles.publish_article",
    ),
    Transition(
        "publish",
        "Publish now",
        (S.APPROVED, S.SCHEDULED),
        S.PUBLISHED,
        "articles.publish_article",
    ),
    Transition(
        "correct",
        "Add a correction",
        (S.PUBLISHED, S.CORRECTED),
        S.CORRECTED,
        "articles.publish_article",
        needs_message=True,
    ),
    Transition(
        "unpublish",
        "Unpublish",
        (S.PUBLISHED, S.CORRECTED),
        S.UNPUBLISHED,
        "articles.publish_article",
        needs_message=True,
    ),
    Transition(
        "retract",
        "Retract",
        (S.PUBLISHED, S.CORRECTED),
        S.RETRACTED,
        "articles.publish_article",
        needs_message=True,
    ),
    Transition(
        "reopen",
        "Reopen as a draft",
        (S.UNPUBLISHED,),
        S.DRAFT,
        "articles.approve_article",
    ),
)
TRANSITIONS_BY_NAME = {t.name: t for t in TRANSITIONS}


def available_transitions(user, article: Article) -> list[Transition]:
    """The actions this user may take on the story now: which buttons to show.

    Read from ``check_transition``, so a button is shown exactly when the
    service would accept the action (the gate aside, which the page explains).
    """
    allowed = []
    for transition in TRANSITIONS:
        try:
            check_transition(user, article, transition)
        except (InvalidTransition, PermissionDenied):
            continue
        allowed.append(transition)
    return allowed


def check_transition(user, article: Article, transition: Transition) -> None:
    """Raise why ``transition`` is refused, or return if allowed (state and role)."""
    if not user.has_perm(transition.permission):
        raise TransitionForbidden(f"Your role does not allow “{transition.label}”.")
    if article.status not in transition.sources:
        raise InvalidTransition(
            f"“{transition.label}” does not apply to a story that is "
            f"{article.get_status_display().lower()}."
        )
    if transition.owner_or_editor and not can_edit_article(user, article):
        raise TransitionForbidden(
            "Only the story's own reporter or an editor can do this."
        )
    if transition.separation_of_duties and user.pk in article_contributor_ids(article):
        raise SelfReviewForbidden(
            "You wrote or edited this story, so someone else must approve it."
        )


def _check_gate(article: Article, transition: Transition) -> list[str]:
    """Raise ``ApprovalBlocked`` unless the gate lets ``transition`` through.

    Approving needs every live claim reviewed, none misattributed or false (an
    override records the blockers instead). Scheduling and publishing need the
    approval to cover the story's current revision: an edit after approval sends
    it back through checking, whatever the edit touched.
    """
    # Neither can be overridden: there is nothing for anyone to vouch for yet.
    unfinished = []
    if article.claims_pending:
        unfinished.append(
            "claims are still being proposed for the latest text: try again shortly"
        )
    approval = None
    if transition.name in {"publish", "schedule"}:
        approval = _last_approval(article)
        if (
            approval is None
            or approval.data.get("revision") != article.current_revision_id
        ):
            unfinished.append(
                "the story changed after it was approved: send it back for "
                "checking and approval"
            )
    if unfinished:
        raise ApprovalBlocked(unfinished)
    blockers = approval_blockers(article.pk)
    if approval is not None and approval.action == AuditEntry.Action.OVERRIDE:
        return blockers
    if blockers and transition.name != "override_approve":
        raise ApprovalBlocked(blockers)
    return blockers


def _last_approval(article: Article) -> AuditEntry | None:
    return (
        AuditEntry.objects.filter(
            article=article, data__transition__in=["approve", "override_approve"]
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def _check_publication_time(article: Article, when: datetime.datetime) -> None:
    if article.embargo_until and when < article.embargo_until:
        raise PublicationBlocked(
            "The story is embargoed until "
            f"{timezone.localtime(article.embargo_until):%Y-%m-%d %H:%M}."
        )


def article_transition(
    *,
    article_id: int,
    actor,
    name: str,
    message: str = "",
    publish_at: datetime.datetime | None = None,
    claim_ids: tuple[int, ...] = (),
    now: datetime.datetime | None = None,
) -> Article:
    """Move a story along the workflow, audit it and notify who needs to know.

    ``message`` is the reason or note (the correction's text for "correct",
    the notice for "retract"); ``claim_ids`` the claims a correction concerns.
    ``actor`` is None only for the system (scheduled publishing), which may
    only publish a scheduled story. Raises ``InvalidTransition``,
    ``TransitionForbidden``, ``SelfReviewForbidden``, ``ApprovalBlocked`` or
    ``PublicationBlocked``; on any of them nothing changes.
    """
    transition = TRANSITIONS_BY_NAME.get(name)
    if transition is None:
        raise InvalidTransition(f"There is no action called “{name}”.")
    now = now or timezone.now()
    message = message.strip()
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if actor is not None:
            check_transition(actor, article, transition)
        elif not (name == "publish" and article.status == S.SCHEDULED):
            raise TransitionForbidden("The system only publishes scheduled stories.")
        elif article.status not in transition.sources:
            raise InvalidTransition("The story is no longer scheduled.")
        elif article.publish_at is None or article.publish_at > now:
            # Re-read under the lock: it may have been rescheduled since the sweep.
            raise InvalidTransition("The story is not due yet.")
        if transition.needs_message and not message:
            raise InvalidTransition(
                f"“{transition.label}” needs a written reason or note."
            )
        blockers = []
        if name in {"approve", "override_approve", "schedule", "publish"}:
            blockers = _check_gate(article, transition)
        if name == "schedule":
            if publish_at is None or publish_at < now:
                raise PublicationBlocked(
                    "Choose a publication time that is not in the past."
                )
            _check_publication_time(article, publish_at)
            article.publish_at = publish_at
        if name == "publish":
            _check_publication_time(article, now)
            article.published_at = now
            article.first_published_at = article.first_published_at or now
            article.publish_at = None
        if name in {"unschedule", "request_changes"}:
            article.publish_at = None
        from_state = article.status
        article.status = transition.target
        article.save(
            update_fields=[
                "status",
                "publish_at",
                "published_at",
                "first_published_at",
                "updated_at",
            ]
        )
        action = {
            "override_approve": AuditEntry.Action.OVERRIDE,
            "publish": AuditEntry.Action.PUBLICATION,
            "correct": AuditEntry.Action.CORRECTION,
        }.get(name, AuditEntry.Action.TRANSITION)
        audit_record(
            actor=actor,
            action=action,
            article=article,
            from_state=from_state,
            to_state=article.status,
            message=message,
            data={
                "transition": name,
                "revision": article.current_revision_id,
                "blockers": blockers,
                **(
                    {"publish_at": publish_at.isoformat()}
                    if publish_at and name == "schedule"
                    else {}
                ),
            },
        )
        if name in {"correct", "retract"}:
            correction = Correction.objects.create(
                article=article,
                text=message,
                created_by=actor,
                kind=Correction.Kind.RETRACTION
                if name == "retract"
                else Correction.Kind.CORRECTION,
            )
            correction.claims.set(article.claims.filter(pk__in=claim_ids))
        notify_transition(
            article=article, transition_name=name, actor=actor, message=message
        )
        if (
            from_state in Article.PUBLIC_STATUSES
            or article.status in Article.PUBLIC_STATUSES
        ):
            announce_public_change(article.pk)
    return article
