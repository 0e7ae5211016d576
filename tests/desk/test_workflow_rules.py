"""The newsroom's rules: the approval gate, overrides, separation of duties,
embargoes, scheduled publishing, notifications and the audit trail."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from articles.content import ArticleContent
from articles.exceptions import ArticleEditForbidden
from articles.models import Article
from audit.models import AuditEntry
from desk import workflow
from desk.exceptions import ApprovalBlocked, InvalidTransition, PublicationBlocked
from desk.models import Correction, Notification
from desk.services import (
    article_save,
    article_start,
    articles_publish_due,
    claims_remind_waiting,
)
from factcheck.exceptions import SelfReviewForbidden
from factcheck.models import Claim
from factcheck.services import claim_review
from tests.factories import UserFactory, article_content

pytestmark = pytest.mark.django_db

BODY = "Officials said the launch failed.\n\nThe rocket fell into the sea."


@pytest.fixture
def story(submit_story):
    return submit_story(BODY)


def review_all(article, checker, veracity="accurate", attribution="confirmed"):
    for claim in article.claims.all():
        claim_review(
            claim_id=claim.pk, actor=checker, attribution=attribution, veracity=veracity
        )


def test_a_story_with_unreviewed_claims_cannot_be_approved(story, editor):
    with pytest.raises(ApprovalBlocked) as blocked:
        workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    assert blocked.value.reasons == ["2 claim(s) await review"]
    assert Article.objects.get(pk=story.pk).status == Article.Status.SUBMITTED


@pytest.mark.parametrize(
    ("attribution", "veracity", "reason"),
    [
        ("misattributed", "accurate", "misattributed"),
        ("confirmed", "false", "rated false"),
    ],
)
def test_misattributed_or_false_claims_block_approval(
    story, editor, factchecker, attribution, veracity, reason
):
    review_all(story, factchecker)
    claim_review(
        claim_id=story.claims.first().pk,
        actor=factchecker,
        attribution=attribution,
        veracity=veracity,
    )
    with pytest.raises(ApprovalBlocked, match=reason):
        workflow.article_transition(article_id=story.pk, actor=editor, name="approve")


def test_state_media_can_be_confirmed_as_said_and_unverifiable(
    story, editor, factchecker
):
    review_all(story, factchecker, veracity="unverifiable")
    workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    assert Article.objects.get(pk=story.pk).status == Article.Status.APPROVED


def test_publisher_override_needs_a_reason_that_is_kept_in_the_audit(story, publisher):
    workflow.article_transition(
        article_id=story.pk,
        actor=publisher,
        name="override_approve",
        message="Breaking news; claims checked by phone",
    )
    entry = AuditEntry.objects.get(article=story, action=AuditEntry.Action.OVERRIDE)
    assert entry.message == "Breaking news; claims checked by phone"
    assert entry.data["blockers"] == ["2 claim(s) await review"]
    # The override covers this text, so it can be published as it stands.
    workflow.article_transition(article_id=story.pk, actor=publisher, name="publish")
    assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED


def test_nobody_approves_their_own_story(reporter, django_capture_on_commit_callbacks):
    writer = UserFactory(username="writing-editor", role="editor")
    article = article_start(actor=writer, content=article_content(body=""))
    workflow.article_transition(article_id=article.pk, actor=writer, name="submit")
    with pytest.raises(SelfReviewForbidden):
        workflow.article_transition(article_id=article.pk, actor=writer, name="approve")
    assert "approve" not in {
        t.name
        for t in workflow.available_transitions(
            writer, article, workflow.story_gate(article)
        )
    }


def test_an_editor_who_edited_the_story_cannot_approve_it(story, editor, factchecker):
    review_all(story, factchecker)
    story.refresh_from_db()
    article_save(
        article=story,
        actor=editor,
        content=ArticleContent(
            **{
                **ArticleContent.of_revision(story.current_revision).as_dict(),
                "headline": "Sharper",
            }
        ),
        base_revision_id=story.current_revision_id,
    )
    with pytest.raises(SelfReviewForbidden):
        workflow.article_transition(article_id=story.pk, actor=editor, name="approve")


def test_an_edit_after_approval_blocks_publication_until_reviewed_again(
    story, editor, factchecker, publisher, django_capture_on_commit_callbacks
):
    review_all(story, factchecker)
    workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    other_editor = UserFactory(username="desk-chief", role="editor")
    story.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        article_save(
            article=story,
            actor=other_editor,
            content=ArticleContent(
                **{
                    **ArticleContent.of_revision(story.current_revision).as_dict(),
                    "body": BODY.replace("failed", "failed badly"),
                }
            ),
            base_revision_id=story.current_revision_id,
        )
    with pytest.raises(ApprovalBlocked, match="changed after it was approved"):
        workflow.article_transition(
            article_id=story.pk, actor=publisher, name="publish"
        )
    # Back through checking: the reopened claim must be reviewed before approval.
    workflow.article_transition(
        article_id=story.pk, actor=editor, name="request_changes", message="Re-check"
    )
    workflow.article_transition(
        article_id=story.pk, actor=story.created_by, name="submit"
    )
    with pytest.raises(ApprovalBlocked, match="1 claim"):
        workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    assert (
        AuditEntry.objects.filter(article=story, action="claim_reopened").count() == 1
    )


def test_embargo_blocks_publication_before_its_time(
    story, editor, factchecker, publisher
):
    review_all(story, factchecker)
    workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    embargo = timezone.now() + datetime.timedelta(hours=2)
    Article.objects.filter(pk=story.pk).update(embargo_until=embargo)
    with pytest.raises(PublicationBlocked, match="embargoed"):
        workflow.article_transition(
            article_id=story.pk, actor=publisher, name="publish"
        )
    with pytest.raises(PublicationBlocked):
        workflow.article_transition(
            article_id=story.pk,
            actor=publisher,
            name="schedule",
            publish_at=embargo - datetime.timedelta(minutes=1),
        )
    workflow.article_transition(
        article_id=story.pk, actor=publisher, name="schedule", publish_at=embargo
    )


def _scheduled(story, editor, factchecker, publisher, when):
    review_all(story, factchecker)
    workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    workflow.article_transition(
        article_id=story.pk, actor=publisher, name="schedule", publish_at=when
    )


def test_the_sweep_publishes_due_stories_once_and_catches_up(
    story, editor, factchecker, publisher
):
    due = timezone.now() + datetime.timedelta(minutes=5)
    _scheduled(story, editor, factchecker, publisher, due)
    assert articles_publish_due(now=due - datetime.timedelta(seconds=1)) == []
    later = due + datetime.timedelta(hours=6)  # the workers were down meanwhile
    assert articles_publish_due(now=later) == [story.pk]
    assert articles_publish_due(now=later) == []
    story.refresh_from_db()
    # Published as of its scheduled time, however late the sweep ran.
    assert story.status == Article.Status.PUBLISHED and story.published_at == due
    entry = AuditEntry.objects.get(article=story, action=AuditEntry.Action.PUBLICATION)
    assert entry.actor is None


def test_a_blocked_scheduled_story_is_reported_once_per_schedule(
    story, editor, factchecker, publisher
):
    due = timezone.now() + datetime.timedelta(minutes=5)
    _scheduled(story, editor, factchecker, publisher, due)
    story.claims.filter(pk=story.claims.first().pk).update(review=Claim.Review.REOPENED)
    later = due + datetime.timedelta(minutes=1)
    for _ in range(3):  # the sweep retries every minute
        assert articles_publish_due(now=later) == []

    def blocked():
        return Notification.objects.filter(verb=Notification.Verb.PUBLICATION_BLOCKED)

    assert {n.recipient for n in blocked()} == {story.created_by, publisher}
    assert "1 claim(s) await review" in blocked().first().message
    assert Article.objects.get(pk=story.pk).status == Article.Status.SCHEDULED

    workflow.article_transition(
        article_id=story.pk, actor=publisher, name="unschedule", message="Fixing."
    )
    review_all(story, factchecker)
    workflow.article_transition(
        article_id=story.pk, actor=publisher, name="schedule", publish_at=due
    )
    embargo = later + datetime.timedelta(hours=1)
    Article.objects.filter(pk=story.pk).update(embargo_until=embargo)
    assert articles_publish_due(now=later) == []
    assert blocked().count() == 4  # the new schedule is reported afresh
    assert "embargoed" in blocked().first().message


def test_a_story_scheduled_outside_the_workflow_is_reported_once(story, publisher):
    due = timezone.now() - datetime.timedelta(minutes=1)
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.SCHEDULED, publish_at=due
    )
    for _ in range(3):
        assert articles_publish_due() == []
    notices = Notification.objects.filter(verb=Notification.Verb.PUBLICATION_BLOCKED)
    assert sorted(n.recipient.username for n in notices) == ["publisher", "reporter"]


def test_a_story_published_while_its_editor_typed_is_not_changed(story, editor):
    open_in_form = Article.objects.get(pk=story.pk)  # the editor's form
    Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED)
    revision = open_in_form.current_revision_id
    with pytest.raises(ArticleEditForbidden):
        article_save(
            article=open_in_form,
            actor=editor,
            content=article_content(body="Officials said the launch worked."),
            base_revision_id=revision,
        )
    assert Article.objects.get(pk=story.pk).current_revision_id == revision


def test_corrections_and_retractions_are_recorded_with_their_claims(
    story, editor, factchecker, publisher
):
    review_all(story, factchecker)
    workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    workflow.article_transition(article_id=story.pk, actor=publisher, name="publish")
    claim = story.claims.first()
    workflow.article_transition(
        article_id=story.pk,
        actor=publisher,
        name="correct",
        message="An earlier version misstated the range.",
        claim_ids=(claim.pk,),
    )
    correction = Correction.objects.get(article=story)
    assert list(correction.claims.all()) == [claim]
    workflow.article_transition(
        article_id=story.pk,
        actor=publisher,
        name="retract",
        message="The launch did not happen.",
    )
    assert Correction.objects.filter(article=story, kind="retraction").exists()
    assert Article.objects.get(pk=story.pk).status == Article.Status.RETRACTED


def test_notifications_and_emails_follow_the_workflow(
    story, reporter, editor, factchecker, publisher, django_capture_on_commit_callbacks
):
    review_all(story, factchecker)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(
            article_id=story.pk,
            actor=editor,
            name="request_changes",
            message="Source the range.",
        )
    note = Notification.objects.get(recipient=reporter, verb="changes_requested")
    assert "Source the range." in note.message
    assert (
        mail.outbox[-1].to == [reporter.email]
        and "Changes requested" in mail.outbox[-1].subject
    )
    workflow.article_transition(article_id=story.pk, actor=reporter, name="submit")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    assert {n.recipient for n in Notification.objects.filter(verb="approved")} == {
        reporter,
        publisher,
    }


def test_daily_reminder_tells_fact_checkers_about_old_claims(story, factchecker):
    Claim.objects.filter(article=story).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert claims_remind_waiting() == 1
    assert (
        "2 claim(s)"
        in Notification.objects.get(recipient=factchecker, verb="reminder").message
    )


def test_the_audit_log_cannot_be_changed(story):
    entry = AuditEntry.objects.filter(article=story).first()
    entry.message = "rewritten"
    with pytest.raises(Exception, match="append-only"):
        entry.save()
    with pytest.raises(Exception, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(message="x")
    with pytest.raises(Exception, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_an_edit_that_adds_a_sentence_after_approval_blocks_publication(
    story, editor, factchecker, publisher
):
    review_all(story, factchecker)
    workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    story.refresh_from_db()
    other_editor = UserFactory(username="late-editor", role="editor")
    article_save(
        article=story,
        actor=other_editor,
        content=ArticleContent(
            **{
                **ArticleContent.of_revision(story.current_revision).as_dict(),
                "body": BODY + "\n\nAn unchecked new sentence.",
            }
        ),
        base_revision_id=story.current_revision_id,
    )
    with pytest.raises(ApprovalBlocked, match="changed after it was approved"):
        workflow.article_transition(
            article_id=story.pk, actor=publisher, name="publish"
        )


def test_the_system_never_publishes_a_story_before_its_time(
    story, editor, factchecker, publisher
):
    when = timezone.now() + datetime.timedelta(days=1)
    _scheduled(story, editor, factchecker, publisher, when)
    with pytest.raises(InvalidTransition, match="not due"):
        workflow.article_transition(article_id=story.pk, actor=None, name="publish")
    workflow.article_transition(
        article_id=story.pk, actor=editor, name="request_changes", message="Hold it"
    )
    assert Article.objects.get(pk=story.pk).publish_at is None
