"""Every (state, action, role) of the transition table, allowed or refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article
from audit.models import AuditEntry
from audit.services import audit_record
from desk import workflow
from desk.exceptions import InvalidTransition
from desk.services import article_start
from tests.factories import UserFactory, article_content

pytestmark = pytest.mark.django_db

S = Article.Status
# The workflow as the newsroom defined it, written out independently of the table.
VALID_FROM = {
    "submit": {S.DRAFT},
    "approve": {S.SUBMITTED},
    "override_approve": {S.SUBMITTED, S.APPROVED, S.SCHEDULED},
    "request_changes": {S.SUBMITTED, S.APPROVED, S.SCHEDULED},
    "schedule": {S.APPROVED},
    "unschedule": {S.SCHEDULED},
    "publish": {S.APPROVED, S.SCHEDULED},
    "correct": {S.PUBLISHED, S.CORRECTED},
    "unpublish": {S.PUBLISHED, S.CORRECTED},
    "retract": {S.PUBLISHED, S.CORRECTED},
    "reopen": {S.UNPUBLISHED},
}
# What each role may do on a story it did not write or edit.
ROLE_MAY = {
    "reporter": set(),
    "editor": {"submit", "approve", "request_changes", "reopen"},
    "fact-checker": set(),
    "publisher": {
        "approve",
        "request_changes",
        "reopen",
        "override_approve",
        "schedule",
        "unschedule",
        "publish",
        "correct",
        "unpublish",
        "retract",
    },
    "admin": set(VALID_FROM),
}
TARGET = {
    "submit": S.SUBMITTED,
    "approve": S.APPROVED,
    "override_approve": S.APPROVED,
    "request_changes": S.DRAFT,
    "schedule": S.SCHEDULED,
    "unschedule": S.APPROVED,
    "publish": S.PUBLISHED,
    "correct": S.CORRECTED,
    "unpublish": S.UNPUBLISHED,
    "retract": S.RETRACTED,
    "reopen": S.DRAFT,
}


def test_the_table_names_exactly_the_newsrooms_actions():
    assert {t.name for t in workflow.TRANSITIONS} == set(VALID_FROM)
    assert {t.name: set(t.sources) for t in workflow.TRANSITIONS} == VALID_FROM
    assert {t.name: t.target for t in workflow.TRANSITIONS} == TARGET


def _user(role):
    if role == "admin":
        return UserFactory(username="boss", is_superuser=True)
    return UserFactory(username=f"acting-{role}", role=role)


@pytest.mark.parametrize("name", sorted(VALID_FROM))
@pytest.mark.parametrize("state", [s.value for s in S])
@pytest.mark.parametrize("role", sorted(ROLE_MAY))
def test_transition_triple(
    name, state, role, reporter, django_capture_on_commit_callbacks
):
    # An override needs something to override: one claim awaiting review.
    body = "Officials said the launch failed." if name == "override_approve" else ""
    with django_capture_on_commit_callbacks(execute=True):
        article = article_start(actor=reporter, content=article_content(body=body))
    Article.objects.filter(pk=article.pk).update(status=state)
    article.refresh_from_db()
    if state in {S.APPROVED, S.SCHEDULED}:  # as if an editor had approved this text
        audit_record(
            actor=None,
            action=AuditEntry.Action.TRANSITION,
            article=article,
            to_state=S.APPROVED,
            data={"transition": "approve", "revision": article.current_revision_id},
        )
    actor = _user(role)
    gate = workflow.story_gate(article)
    offered = {t.name for t in workflow.available_transitions(actor, article, gate)}
    allowed = state in VALID_FROM[name] and name in ROLE_MAY[role]
    kwargs = {
        "message": "Because.",
        "publish_at": timezone.now() + datetime.timedelta(hours=1),
    }
    before = AuditEntry.objects.count()
    if allowed:
        result = workflow.article_transition(
            article_id=article.pk, actor=actor, name=name, **kwargs
        )
        assert result.status == TARGET[name]
        entry = AuditEntry.objects.latest("pk")
        assert (entry.actor, entry.from_state, entry.to_state) == (
            actor,
            state,
            TARGET[name],
        )
    else:
        with pytest.raises((InvalidTransition, PermissionDenied)):
            workflow.article_transition(
                article_id=article.pk, actor=actor, name=name, **kwargs
            )
        assert Article.objects.get(pk=article.pk).status == state
        assert AuditEntry.objects.count() == before
    assert (
        name in offered
    ) == allowed  # the buttons shown match what the service allows


def test_a_reporter_submits_only_their_own_draft(reporter, other_reporter):
    own = article_start(actor=reporter, content=article_content(body=""))
    workflow.article_transition(article_id=own.pk, actor=reporter, name="submit")
    other = article_start(
        actor=other_reporter, content=article_content(body="", slug="other")
    )
    with pytest.raises(PermissionDenied):
        workflow.article_transition(article_id=other.pk, actor=reporter, name="submit")


def test_messages_are_required_where_a_reason_is(editor, reporter):
    article = article_start(actor=reporter, content=article_content(body=""))
    Article.objects.filter(pk=article.pk).update(status=S.SUBMITTED)
    with pytest.raises(InvalidTransition, match="needs a written reason"):
        workflow.article_transition(
            article_id=article.pk, actor=editor, name="request_changes", message="   "
        )


def test_an_unknown_action_is_a_clear_error(editor, reporter):
    article = article_start(actor=reporter, content=article_content(body=""))
    with pytest.raises(InvalidTransition, match="no action called"):
        workflow.article_transition(article_id=article.pk, actor=editor, name="launch")
