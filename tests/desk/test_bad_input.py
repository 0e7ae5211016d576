"""Bad and hostile input on the desk and in the admin: a clear answer, never a 500."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.content import ArticleContent
from articles.models import ArticleRevision, PreviewLink
from articles.services import article_update
from factcheck.models import Claim
from tests.factories import SourceFactory, article_content

pytestmark = pytest.mark.django_db

BODY = "Officials said the launch failed. The rocket fell into the sea."


@pytest.fixture
def story(submit_story):
    return submit_story(BODY)


def test_assignment_never_redirects_off_the_site(client, factchecker, story):
    client.force_login(factchecker)
    response = client.post(
        reverse("desk:claim_assign", args=[story.claims.first().pk]),
        {"assign_to_me": "1", "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("desk:queue")


def test_assigning_a_non_fact_checker_is_refused_with_a_message(
    client, editor, other_reporter, story
):
    client.force_login(editor)
    url = reverse("desk:claim_assign", args=[story.claims.first().pk])
    response = client.post(url, {"assignee": other_reporter.pk}, follow=True)
    assert "Pick a fact-checker" in response.content.decode()
    assert not story.claims.filter(assignee__isnull=False).exists()


def test_taking_claims_of_ones_own_story_is_a_403_that_says_why(
    client, reporter, story
):
    reporter.groups.add(Group.objects.get(name="fact-checker"))
    client.force_login(reporter)
    url = reverse("desk:claim_assign", args=[story.claims.first().pk])
    response = client.post(url, {"assign_to_me": "1"})
    assert response.status_code == 403
    assert "You wrote or edited this story" in response.content.decode()
    assert not story.claims.filter(assignee__isnull=False).exists()


def test_an_unknown_workflow_action_is_a_404(client, editor, story):
    client.force_login(editor)
    url = reverse("desk:story_transition", args=[story.pk, "launch-it"])
    assert client.post(url).status_code == 404


def test_a_reporter_cannot_add_claims_by_hand(client, other_reporter, story):
    client.force_login(other_reporter)
    response = client.post(
        reverse("admin:factcheck_claim_add"),
        {
            "article": story.pk,
            "text": "The rocket fell",
            "occurrence": 1,
            "kind": Claim.Kind.UNATTRIBUTED,
        },
    )
    assert response.status_code == 403
    assert not story.claims.filter(origin=Claim.Origin.MANUAL).exists()


def test_a_claim_over_a_span_that_has_one_is_a_form_error(client, editor, story):
    client.force_login(editor)
    response = client.post(
        reverse("admin:factcheck_claim_add"),
        {
            "article": story.pk,
            "text": "The rocket fell into the sea.",
            "occurrence": 1,
            "kind": Claim.Kind.UNATTRIBUTED,
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode().lower()


def test_an_impossible_attribution_in_the_claims_panel_is_a_form_error(
    client, editor, story
):
    from tests.html_forms import form_data

    client.force_login(editor)
    claim = story.claims.order_by("start").first()
    url = reverse("admin:articles_article_claim", args=[story.pk, claim.pk])
    data = form_data(client.get(url).content.decode())
    data["claim-kind"] = [Claim.Kind.UNATTRIBUTED]
    data["claim-speaker"] = [str(SourceFactory().pk)]
    response = client.post(url, {**data, "action": "correct"})
    assert response.status_code == 400  # the form again, with the error
    assert "has no speaker or channel" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).version == claim.version


def test_restoring_a_revision_whose_slug_is_now_taken_is_a_message(
    client, editor, story
):
    client.force_login(editor)
    first = story.current_revision
    content = ArticleContent.of_revision(first)
    article_update(
        article_id=story.pk,
        actor=editor,
        base_revision_id=first.pk,
        content=ArticleContent(**{**content.as_dict(), "slug": "renamed"}),
    )
    from desk.services import article_start

    article_start(
        actor=editor,
        content=article_content(body="", slug=first.slug, section=story.section_id),
    )
    story.refresh_from_db()
    response = client.post(
        reverse("admin:articles_article_restore", args=[story.pk, first.pk]),
        {"base_revision": story.current_revision_id},
        follow=True,
    )
    assert response.status_code == 200 and "Cannot restore" in response.content.decode()
    assert ArticleRevision.objects.filter(article=story).count() == 2


def test_revoking_a_preview_link_with_a_bad_id_is_a_404(client, editor, story):
    PreviewLink.objects.create(
        article=story,
        created_by=editor,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.force_login(editor)
    url = reverse("admin:articles_article_share", args=[story.pk])
    assert client.post(url, {"revoke": "abc"}).status_code == 404
