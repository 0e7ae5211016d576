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

(``override_approve`` also applies to an approved or scheduled story whose
claims changed after its approval; it leaves the story approved.)

Rules beyond the table:

- Nobody approves a story they wrote or edited; an editor or a publisher who
  did not work on it does. Who "wrote" it includes its bylines, and only
  writers (reporters, editors) can be credited, others only by an editor
  (``articles.permissions.byline_refusal``): a byline cannot be used to keep
  a fact-checker, an editor or a publisher off a story.
- The gate: a story is approved only when every live claim is reviewed and
  none is misattributed or false, or when a publisher overrides with a written
  reason. An override vouches for exactly the claims open at that moment, with
  their verdicts at that moment (kept in the audit entry). Scheduling and
  publishing (the sweep too) check again: a claim that turns up, goes back to
  review or is re-rated after the approval blocks the story until it is cleared
  or overridden anew. An edit after approval needs a new approval, and nothing
  passes while the claims of the latest text are still being proposed.
- Nothing publishes before its embargo, nor with a picture (lead or in the
  body) whose usage rights have ended.
- Readers see claims as they were at publication (``claims_publish``); a later
  change to a claim reaches them only through a correction that names it.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.permissions import can_edit_article
from articles.rendering import picture_references
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
from desk.roles import ROLE_PERMISSIONS
from factcheck.exceptions import SelfReviewForbidden
from factcheck.selectors import ClaimBlocker, blocker_reasons, claim_blockers
from factcheck.services import claims_publish, published_signature
from pictures.selectors import pictures_rights_expired

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
    # Offered only when some claim blocks the gate and no approval vouches for it.
    overrides_gate: bool = False
    # How the button looks ("primary", "secondary" or "danger"), what happens,
    # said before it happens, and whether a confirmation step comes first.
    tone: str = "secondary"
    consequence: str = ""
    confirm: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        "Submit for fact-check",
        (S.DRAFT,),
        S.SUBMITTED,
        "articles.submit_article",
        owner_or_editor=True,
        tone="primary",
        consequence=(
            "The story goes to the fact-checkers; a reporter can no longer edit it."
        ),
    ),
    Transition(
        "approve",
        "Approve",
        (S.SUBMITTED,),
        S.APPROVED,
        "articles.approve_article",
        separation_of_duties=True,
        tone="primary",
        consequence=("The story is cleared to be scheduled and published."),
    ),
    Transition(
        "override_approve",
        "Approve despite open claims",
        (S.SUBMITTED, S.APPROVED, S.SCHEDULED),
        S.APPROVED,
        "articles.override_approval_gate",
        needs_message=True,
        separation_of_duties=True,
        overrides_gate=True,
        tone="danger",
        consequence=(
            "The story is approved although claims are open: your reason goes into "
            "the audit log, and you vouch for exactly these claims with their "
            "verdicts now."
        ),
        confirm=True,
    ),
    Transition(
        "request_changes",
        "Request changes",
        (S.SUBMITTED, S.APPROVED, S.SCHEDULED),
        S.DRAFT,
        "articles.approve_article",
        needs_message=True,
        tone="danger",
        consequence=(
            "The story goes back to draft: its approval and any schedule are "
            "cancelled, and its people are told your reason."
        ),
        confirm=True,
    ),
    Transition(
        "schedule",
        "Schedule",
        (S.APPROVED,),
        S.SCHEDULED,
        "articles.publish_article",
        needs_time=True,
        tone="primary",
        consequence=(
            "The story is published automatically at the time you choose, if "
            "nothing blocks it then."
        ),
    ),
    Transition(
        "unschedule",
        "Cancel schedule",
        (S.SCHEDULED,),
        S.APPROVED,
        "articles.publish_article",
        tone="secondary",
        consequence=("The story stays approved but is no longer scheduled."),
    ),
    Transition(
        "publish",
        "Publish now",
        (S.APPROVED, S.SCHEDULED),
        S.PUBLISHED,
        "articles.publish_article",
        tone="primary",
        consequence=(
            "Readers see the story now, with every claim as it stands; a later "
            "change to a claim reaches them only through a correction."
        ),
        confirm=True,
    ),
    Transition(
        "correct",
        "Add a correction",
        (S.PUBLISHED, S.CORRECTED),
        S.CORRECTED,
        "articles.publish_article",
        needs_message=True,
        tone="secondary",
        consequence=(
            "Readers see your correction on the story, at the claims it names."
        ),
    ),
    Transition(
        "unpublish",
        "Unpublish",
        (S.PUBLISHED, S.CORRECTED),
        S.UNPUBLISHED,
        "articles.publish_article",
        needs_message=True,
        tone="danger",
        consequence=(
            "Readers no longer see the story: its page, feed entry and search "
            "result go away until it is reopened, checked and published again."
        ),
        confirm=True,
    ),
    Transition(
        "retract",
        "Retract",
        (S.PUBLISHED, S.CORRECTED),
        S.RETRACTED,
        "articles.publish_article",
        needs_message=True,
        tone="danger",
        consequence=(
            "The story stays online marked as retracted, its ratings withdrawn, off "
            "the front page. This cannot be undone."
        ),
        confirm=True,
    ),
    Transition(
        "reopen",
        "Reopen as a draft",
        (S.UNPUBLISHED,),
        S.DRAFT,
        "articles.approve_article",
        tone="secondary",
        consequence=(
            "The story becomes a draft again, to edit and send through fact-check."
        ),
    ),
)
TRANSITIONS_BY_NAME = {t.name: t for t in TRANSITIONS}
# The actions the gate stands before.
GATED = frozenset({"approve", "override_approve", "schedule", "publish"})


@dataclass(frozen=True)
class Gate:
    """Where the story stands at the gate (``story_gate``)."""

    blockers: list[ClaimBlocker]  # live claims awaiting review, misattributed, false
    approval: AuditEntry | None  # the last approval or override, if any
    claims_pending: bool  # claims not proposed yet for the current text
    approval_current: bool  # that approval covers the current text
    pictures_withheld: tuple[str, ...] = ()  # pictures whose usage rights ended

    @property
    def unvouched(self) -> list[ClaimBlocker]:
        """Blockers no override on record vouches for, as they stand now."""
        vouched = []
        if self.approval_current and self.approval.action == AuditEntry.Action.OVERRIDE:
            vouched = self.approval.data.get("overridden", [])
        return [b for b in self.blockers if b.signature not in vouched]


def story_gate(article: Article) -> Gate:
    """The gate for ``article`` as it stands (two queries)."""
    approval = (
        AuditEntry.objects.filter(
            article=article, data__transition__in=["approve", "override_approve"]
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return Gate(
        blockers=claim_blockers(article.pk),
        approval=approval,
        claims_pending=article.claims_pending,
        approval_current=approval is not None
        and approval.data.get("revision") == article.current_revision_id,
        pictures_withheld=_pictures_withheld(article),
    )


def _pictures_withheld(article: Article) -> tuple[str, ...]:
    """Why the story's pictures may not be published: rights that have ended
    (no query for a story without pictures)."""
    ids = {reference.picture_id for reference in picture_references(article.body)}
    if article.lead_image_id:
        ids.add(article.lead_image_id)
    if not ids:
        return ()
    return tuple(
        f"the usage rights of the picture “{picture}” ended on "
        f"{picture.rights_expire_on:%d %B %Y}: replace or remove it"
        for picture in pictures_rights_expired(ids, on=timezone.localdate())
    )


def available_transitions(user, article: Article, gate: Gate) -> list[Transition]:
    """The actions this user may take on the story now: which buttons to show.

    Read from ``check_transition``, so a button is shown exactly when the
    service would accept the action (given the reason, time and embargo it
    asks for).
    """
    return [
        option.transition
        for option in transition_options(user, article, gate)
        if not option.reason
    ]


@dataclass(frozen=True)
class TransitionOption:
    """An action on the story for this user: ``reason`` says why it is not
    available to them now ("" when it is)."""

    transition: Transition
    reason: str = ""


def transition_options(user, article: Article, gate: Gate) -> list[TransitionOption]:
    """Every action that applies to the story in its state, each available to
    this user or with the reason it is not (who may, or what blocks it).

    Actions that do not apply to the state, and an override with nothing to
    override, are left out: they are not the user's to wonder about.
    """
    options = []
    for transition in TRANSITIONS:
        if article.status not in transition.sources:
            continue
        if transition.overrides_gate and not _to_override(gate):
            continue  # before the role check: nobody should wonder about it
        try:
            check_transition(user, article, transition, gate=gate)
        except InvalidTransition:
            continue
        except PermissionDenied as refusal:
            options.append(TransitionOption(transition, str(refusal)))
        except ApprovalBlocked as blocked:
            options.append(
                TransitionOption(transition, f"Not yet: {'; '.join(blocked.reasons)}.")
            )
        else:
            options.append(TransitionOption(transition))
    return options


def _who_may(permission: str) -> str:
    roles = [role for role, held in ROLE_PERMISSIONS.items() if permission in held]
    if len(roles) > 1:
        return f"{', '.join(roles[:-1])} or {roles[-1]}"
    return roles[0] if roles else "an administrator"


def check_transition(
    user, article: Article, transition: Transition, *, gate: Gate | None = None
) -> None:
    """Raise why ``transition`` is refused (saying who may take it), or return.

    Checks role, state and separation of duties; with ``gate``, also the gate
    (``ApprovalBlocked``), and that an override has something to override.
    """
    if not user.has_perm(transition.permission):
        raise TransitionForbidden(
            f"Your role does not allow “{transition.label}”: ask someone with the "
            f"{_who_may(transition.permission)} role."
        )
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
            "You wrote or edited this story, so someone who did not must "
            f"“{transition.label}”: an {_who_may(transition.permission)} who did "
            "not work on it."
        )
    if gate is not None and transition.name in GATED:
        if transition.overrides_gate and not _to_override(gate):
            raise InvalidTransition(
                "There is nothing to override: no claim awaits review or is "
                "misattributed or false"
                + (" beyond what the approval vouched for." if gate.blockers else ".")
            )
        _check_gate(gate, transition)


def _to_override(gate: Gate) -> list[ClaimBlocker]:
    """What an override now would vouch for beyond the approval on record."""
    if gate.approval_current:
        return gate.unvouched
    return gate.blockers


def _check_gate(gate: Gate, transition: Transition) -> list[ClaimBlocker]:
    """Raise ``ApprovalBlocked`` unless the gate lets ``transition`` through;
    return the blockers it lets through (those an override vouches for).

    Approving needs every live claim reviewed, none misattributed or false; an
    override vouches for the blockers instead. Scheduling and publishing need
    the approval to cover the current text and every blocker now to be one it
    vouched for, with the verdict it had then.
    """
    # Nothing anyone could vouch for yet: no override passes these.
    unfinished = []
    if gate.claims_pending:
        unfinished.append(
            "claims are still being proposed for the latest text: try again shortly"
        )
    publishing = transition.name in {"publish", "schedule"}
    if publishing and not gate.approval_current:
        unfinished.append(
            "the story changed after it was approved: send it back for "
            "checking and approval"
        )
    if publishing:
        unfinished += gate.pictures_withheld
    if unfinished:
        raise ApprovalBlocked(unfinished)
    if transition.name == "override_approve":
        return gate.blockers
    refused = gate.unvouched if publishing else gate.blockers
    if refused:
        reasons = blocker_reasons(refused)
        if publishing:
            reasons.append(
                "these changed after the approval: have them reviewed, or approve "
                "despite them again with a reason"
            )
        raise ApprovalBlocked(reasons)
    return gate.blockers


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
        gate = story_gate(article)
        if actor is not None:
            check_transition(actor, article, transition, gate=gate)
        elif name != "publish":
            raise TransitionForbidden("The system only publishes scheduled stories.")
        elif article.status != S.SCHEDULED:
            # Published or unscheduled by someone (or another sweep) meanwhile.
            raise InvalidTransition("The story is no longer scheduled.")
        elif article.publish_at is None or article.publish_at > now:
            # Re-read under the lock: it may have been rescheduled since the sweep.
            raise InvalidTransition("The story is not due yet.")
        if transition.needs_message and not message:
            raise InvalidTransition(
                f"“{transition.label}” needs a written reason or note."
            )
        vouched = _check_gate(gate, transition) if name in GATED else []
        if name == "schedule":
            if publish_at is None or publish_at < now:
                raise PublicationBlocked(
                    "Choose a publication time that is not in the past."
                )
            _check_publication_time(article, publish_at)
            article.publish_at = publish_at
        if name == "publish":
            _check_publication_time(article, now)
            # A scheduled story is published as of its time, however late the
            # sweep that published it ran.
            published_at = article.publish_at if actor is None else now
            article.published_at = published_at
            article.first_published_at = article.first_published_at or published_at
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
        data = {
            "transition": name,
            "revision": article.current_revision_id,
            "blockers": blocker_reasons(vouched),
        }
        if name == "override_approve":
            # Exactly what this override vouches for: these claims, these verdicts.
            data["overridden"] = [blocker.signature for blocker in vouched]
        if name == "schedule":
            data["publish_at"] = publish_at.isoformat()
        if name in {"publish", "correct"}:
            shown = claims_publish(
                article_id=article.pk,
                now=now,
                claim_ids=claim_ids if name == "correct" else None,
            )
            # The verdicts this puts before readers that the gate would refuse
            # (an override vouched for them) or, for a correction, every claim
            # it names: the publisher's record of what readers were shown.
            data["published"] = [
                published_signature(claim)
                for claim in shown
                if name == "correct" or claim.is_blocking
            ]
        audit_record(
            actor=actor,
            action=action,
            article=article,
            from_state=from_state,
            to_state=article.status,
            message=message,
            data=data,
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
