"""The gate knows about background work: a story whose claims have not been
proposed for its latest text cannot be approved, scheduled or published."""

import pytest
from django.urls import reverse

from articles.models import Article
from desk import workflow
from desk.services import article_start
from factcheck.models import Claim
from outbox.models import Job
from tests.factories import article_content
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

BODY = "Officials said the launch failed. The rocket fell into the sea."


@pytest.fixture
def unproposed_story(reporter):
    """Saved and submitted, its proposal job written but not run yet (its
    commit callbacks never ran: as if the broker were down)."""
    article = article_start(
        actor=reporter, content=article_content(body=BODY, author_ids=(reporter.pk,))
    )
    workflow.article_transition(article_id=article.pk, actor=reporter, name="submit")
    return article


def test_a_story_without_its_claims_is_refused_approval_on_the_desk(
    client, editor, unproposed_story
):
    assert not unproposed_story.claims.exists()
    client.force_login(editor)
    page = client.get(reverse("desk:story", args=[unproposed_story.pk]))
    assert "Claims are still being proposed" in page.content.decode()

    response = client.post(
        reverse("desk:story_transition", args=[unproposed_story.pk, "approve"])
    )

    assert response.status_code == 409
    assert "still being proposed" in response.content.decode()
    assert Article.objects.get(pk=unproposed_story.pk).status == "submitted"


def test_no_override_lets_a_story_through_before_its_claims_exist(
    client, publisher, unproposed_story
):
    client.force_login(publisher)
    response = client.post(
        reverse(
            "desk:story_transition", args=[unproposed_story.pk, "override_approve"]
        ),
        {"message": "Deadline."},
    )
    assert response.status_code == 409
    assert Article.objects.get(pk=unproposed_story.pk).status == "submitted"


def test_a_failed_proposal_is_shown_and_can_be_run_again(
    client, editor, factchecker, unproposed_story, django_capture_on_commit_callbacks
):
    Job.objects.filter(key=f"propose-claims:{unproposed_story.pk}").update(
        failed_at="2026-01-04T00:00:00Z"
    )
    client.force_login(editor)
    page = client.get(reverse("desk:story", args=[unproposed_story.pk]))
    assert "Propose claims again" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:story_propose", args=[unproposed_story.pk]))

    unproposed_story.refresh_from_db()
    assert not unproposed_story.claims_pending
    assert unproposed_story.claims.count() == 2
    for claim in unproposed_story.claims.all():
        Claim.objects.filter(pk=claim.pk).update(
            review="reviewed", attribution="confirmed", veracity="accurate"
        )
    response = client.post(
        reverse("desk:story_transition", args=[unproposed_story.pk, "approve"])
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=unproposed_story.pk).status == "approved"


def test_a_reader_cannot_run_proposals(client, reader, unproposed_story):
    client.force_login(reader)
    response = client.post(reverse("desk:story_propose", args=[unproposed_story.pk]))
    assert response.status_code == 302  # to the login page: not staff
    assert Job.objects.filter(key=f"propose-claims:{unproposed_story.pk}").count() == 1


def test_a_story_edited_after_approval_is_not_published_while_its_claims_are_proposed(
    client, editor, publisher, submit_story
):
    story = submit_story(BODY)
    Claim.objects.filter(article=story).update(
        review="reviewed", attribution="confirmed", veracity="accurate"
    )
    workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    client.force_login(editor)
    edit = reverse("desk:story_edit", args=[story.pk])
    form = form_data(client.get(edit).content.decode())
    # Saved, its proposal job written but never run: the broker was down.
    client.post(edit, {**form, "body": BODY + "\n\nThe navy said it was a test."})
    assert Article.objects.get(pk=story.pk).claims_pending

    client.force_login(publisher)
    response = client.post(reverse("desk:story_transition", args=[story.pk, "publish"]))

    assert response.status_code == 409
    assert "still being proposed" in response.content.decode()
    assert Article.objects.get(pk=story.pk).status == "approved"
