"""Desk pages: what each role sees and can do, errors as 403/409, query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk import workflow
from desk.models import Notification
from desk.services import article_start
from factcheck.models import Claim, Evidence
from factcheck.services import claim_review
from tests.factories import UserFactory, article_content
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

BODY = (
    "South Korea's Joint Chiefs of Staff said it detected a launch.\n\n"
    "The launch came hours before a summit."
)


@pytest.fixture
def story(submit_story):
    return submit_story(BODY)


def test_queue_lists_waiting_claims_with_counts_and_filters(client, factchecker, story):
    client.force_login(factchecker)
    response = client.get(reverse("desk:queue"))
    assert response.status_code == 200
    assert response.context["counts"]["waiting"] == 2
    assert (
        "South Korea&#x27;s Joint Chiefs of Staff said it detected a launch."
        in response.content.decode()
    )
    filtered = client.get(reverse("desk:queue"), {"kind": Claim.Kind.UNATTRIBUTED})
    assert [c.text for c in filtered.context["claims"]] == [
        "The launch came hours before a summit."
    ]


def test_the_desk_leads_an_editor_to_a_story_ready_for_approval(
    client, editor, factchecker, story
):
    client.force_login(editor)
    page = client.get(reverse("desk:queue")).content.decode()
    story_link = f'href="{reverse("desk:story", args=[story.pk])}"'
    ready = '<span class="badge text-bg-success">ready for approval</span>'
    assert story_link in page and ready not in page

    for claim in story.claims.all():
        claim_review(
            claim_id=claim.pk,
            actor=factchecker,
            attribution="confirmed",
            veracity="accurate",
            reviewed_text=claim.text,
        )
    page = client.get(reverse("desk:queue")).content.decode()
    assert "Nothing is waiting for review." in page
    assert story_link in page and ready in page


def test_a_claims_page_shows_the_decision_on_record_in_its_form(
    client, factchecker, story
):
    claim = story.claims.order_by("start").first()
    client.force_login(factchecker)
    url = reverse("desk:claim", args=[claim.pk])
    assert client.get(url).context["review_form"].initial.get("veracity") is None

    claim_review(
        claim_id=claim.pk,
        actor=factchecker,
        attribution="confirmed",
        veracity="unverifiable",
        public_explanation="Only the agency reported it.",
        reviewed_text=claim.text,
    )
    fields = form_data(client.get(url).content.decode(), "review-form")
    assert fields["veracity"] == ["unverifiable"]
    assert fields["attribution"] == ["confirmed"]
    assert fields["public_explanation"] == ["Only the agency reported it."]


def test_queue_query_count_does_not_grow_with_claims(
    client,
    factchecker,
    story,
    reporter,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    client.force_login(factchecker)
    with django_capture_on_commit_callbacks(execute=True):
        article_start(
            actor=reporter,
            content=article_content(
                body="\n\n".join(
                    f"Officials said test {n} happened." for n in range(40)
                ),
                slug="many",
                section=story.section_id,
            ),
        )
    # One of them lists the stories in hand.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("desk:queue"))
    assert response.context["counts"]["waiting"] == 42


def test_the_queue_lists_evidence_pages_the_link_check_found_gone(
    client, factchecker, story
):
    claim = story.claims.order_by("start").first()
    found = {"link_checked_at": timezone.now(), "link_detail": "HTTP 404"}
    gone = Evidence.objects.create(
        claim=claim,
        added_by=factchecker,
        title="Ministry statement",
        url="https://example.org/gone",
        link_status=Evidence.LinkStatus.BROKEN,
        **found,
    )
    Evidence.objects.create(
        claim=claim,
        added_by=factchecker,
        title="Agency report",
        url="https://example.org/fine",
        link_status=Evidence.LinkStatus.OK,
        **found,
    )
    client.force_login(factchecker)
    page = client.get(reverse("desk:queue")).content.decode()
    assert "Evidence pages gone" in page and 'href="https://example.org/gone"' in page
    assert "Agency report" not in page
    assert reverse("desk:claim", args=[gone.claim_id]) in page


def test_fact_checker_reviews_a_claim_from_the_desk(client, factchecker, story):
    claim = story.claims.order_by("start").first()
    client.force_login(factchecker)
    page = client.get(reverse("desk:claim", args=[claim.pk]))
    assert (
        "<mark>South Korea&#x27;s Joint Chiefs of Staff said it detected a "
        "launch.</mark>" in page.content.decode()
    )
    response = client.post(
        reverse("desk:claim", args=[claim.pk]),
        {
            "attribution": "confirmed",
            "veracity": "accurate",
            "reviewed_text": claim.text,
            "version": claim.version,
            "note": "Matches the JCS text",
            "evidence_title": "JCS statement",
            "evidence_url": "https://jcs.example/1",
            "evidence_public": "on",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.review, claim.attribution) == (Claim.Review.REVIEWED, "confirmed")


def test_the_reporter_cannot_review_their_own_claims(client, reporter, story):
    reporter.groups.add(UserFactory(username="fc2", role="fact-checker").groups.get())
    claim = story.claims.first()
    client.force_login(reporter)
    response = client.post(
        reverse("desk:claim", args=[claim.pk]),
        {
            "attribution": "confirmed",
            "veracity": "accurate",
            "reviewed_text": claim.text,
            "version": claim.version,
        },
    )
    assert response.status_code == 403
    assert "you cannot review claims" in response.content.decode()
    claim.refresh_from_db()
    assert claim.review == Claim.Review.UNREVIEWED


def test_a_reporter_sees_no_review_form_and_cannot_post_one(
    client, other_reporter, story
):
    claim = story.claims.first()
    client.force_login(other_reporter)
    page = client.get(reverse("desk:claim", args=[claim.pk]))
    assert "Record decision" not in page.content.decode()
    response = client.post(
        reverse("desk:claim", args=[claim.pk]),
        {
            "attribution": "confirmed",
            "veracity": "accurate",
            "reviewed_text": claim.text,
            "version": claim.version,
        },
    )
    assert response.status_code == 403


def test_bad_review_input_is_a_form_error_not_a_crash(client, factchecker, story):
    client.force_login(factchecker)
    response = client.post(
        reverse("desk:claim", args=[story.claims.first().pk]),
        {"attribution": "maybe", "original_text": "원문"},
    )
    assert response.status_code == 400
    assert response.context["review_form"].errors["attribution"]


def test_approving_with_open_claims_is_a_409_with_the_reason(client, editor, story):
    client.force_login(editor)
    response = client.post(reverse("desk:story_transition", args=[story.pk, "approve"]))
    assert response.status_code == 409
    assert "2 claim(s) await review" in response.content.decode()


def test_a_role_without_the_right_gets_403(client, factchecker, story):
    client.force_login(factchecker)
    response = client.post(reverse("desk:story_transition", args=[story.pk, "publish"]))
    assert response.status_code == 403
    assert Article.objects.get(pk=story.pk).status == Article.Status.SUBMITTED


def test_story_page_shows_only_the_buttons_the_role_may_use(
    client, editor, publisher, story
):
    client.force_login(editor)
    labels = [
        t.name
        for t in client.get(reverse("desk:story", args=[story.pk]))
        .context["review"]
        .transitions
    ]
    assert labels == ["request_changes"]  # claims still await review
    client.force_login(publisher)
    labels = [
        t.name
        for t in client.get(reverse("desk:story", args=[story.pk]))
        .context["review"]
        .transitions
    ]
    assert labels == ["override_approve", "request_changes"]


def test_assign_to_me_and_assignment_by_an_editor(client, factchecker, editor, story):
    claim = story.claims.first()
    client.force_login(factchecker)
    client.post(reverse("desk:claim_assign", args=[claim.pk]), {"assign_to_me": "1"})
    claim.refresh_from_db()
    assert claim.assignee == factchecker
    other = UserFactory(username="fc-other", role="fact-checker")
    client.force_login(editor)
    client.post(
        reverse("desk:claim_assign", args=[claim.pk]),
        {"assignee": other.pk, "due_at": "2030-01-01T12:00"},
    )
    claim.refresh_from_db()
    assert claim.assignee == other and claim.due_at.year == 2030
    assert Notification.objects.filter(recipient=other, verb="assigned").exists()


def test_notification_count_in_the_desk_header(client, factchecker, editor, story):
    client.force_login(editor)
    client.post(
        reverse("desk:claim_assign", args=[story.claims.first().pk]),
        {"assignee": factchecker.pk},
    )
    client.force_login(factchecker)
    page = client.get(reverse("desk:queue")).content.decode()
    assert '1<span class="visually-hidden"> unread</span>' in page
    client.post(reverse("desk:notifications"))
    assert not Notification.objects.filter(
        recipient=factchecker, read_at__isnull=True
    ).exists()


def _edit_form(client, url, story) -> dict:
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["section"] = story.section_id
    data["byline_users"] = []
    data["tags"] = []
    return data


def test_desk_edits_of_different_fields_from_one_revision_merge(client, editor, story):
    client.force_login(editor)
    url = reverse("desk:story_edit", args=[story.pk])
    data = _edit_form(client, url, story)
    stale = dict(data, body=BODY + "\n\nMy new paragraph.")
    assert client.post(url, dict(data, headline="First save")).status_code == 302
    response = client.post(url, stale, follow=True)
    assert response.status_code == 200
    assert "Merged with" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "First save" and story.body.endswith("My new paragraph.")


def test_desk_edit_conflict_keeps_the_second_editors_text(client, editor, story):
    client.force_login(editor)
    url = reverse("desk:story_edit", args=[story.pk])
    data = _edit_form(client, url, story)
    first_paragraph = BODY.split("\n\n")[0]
    stale = dict(data, body=BODY.replace(first_paragraph, "My own first paragraph."))
    theirs = dict(data, body=BODY.replace(first_paragraph, "Their first paragraph."))
    assert client.post(url, theirs).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "My own first paragraph." in page and "Their first paragraph." in page
    kept = form_data(page, None)
    [choice] = [name for name in kept if name.startswith("merge-")]
    kept[choice] = ["both"]
    assert client.post(url, kept).status_code == 302
    story.refresh_from_db()
    assert story.body.startswith(
        "My own first paragraph.\n\nTheir first paragraph.\n\n"
    )


def test_anonymous_users_are_sent_to_log_in(client, story):
    response = client.get(reverse("desk:queue"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_unknown_story_or_claim_is_a_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("desk:story", args=[999])).status_code == 404
    assert client.get(reverse("desk:claim", args=[999])).status_code == 404


def test_admin_actions_come_from_the_transition_table(
    admin_client, story, editor, client
):
    page = admin_client.get("/admin/articles/article/")
    choices = page.context["action_form"].fields["action"].choices
    names = {name for name, _ in choices if name.startswith("transition_")}
    assert names == {
        f"transition_{t.name}"
        for t in workflow.TRANSITIONS
        if not (t.needs_message or t.needs_time)
    }
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/",
        {"action": "transition_approve", "_selected_action": [story.pk]},
        follow=True,
    )
    assert "2 claim(s) await review" in response.content.decode()
    assert Article.objects.get(pk=story.pk).status == Article.Status.SUBMITTED


def test_a_decision_on_a_sentence_edited_meanwhile_is_refused(
    client, factchecker, story
):
    claim = story.claims.order_by("start").first()
    client.force_login(factchecker)
    response = client.post(
        reverse("desk:claim", args=[claim.pk]),
        {
            "attribution": "confirmed",
            "veracity": "accurate",
            "reviewed_text": "The sentence as it read before an edit.",
            "version": claim.version,
        },
    )
    assert response.status_code == 409
    assert "edited while you were reviewing" in response.content.decode()
    claim.refresh_from_db()
    assert claim.review == Claim.Review.UNREVIEWED
