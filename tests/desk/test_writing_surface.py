"""The writing surface (the article admin) as editors use it: bylines in the
order chosen, times in the newsroom's zone, the claims panel, a story with
hundreds of claims, and actions offered only to who may take them, the
consequential ones after a confirmation step."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Byline
from audit.models import AuditEntry
from desk import workflow
from desk.services import article_save, article_start
from factcheck import services as factcheck_services
from factcheck.models import Claim
from outbox.models import Job
from tests.factories import SourceFactory, UserFactory, article_content
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

BODY = (
    "Officials said the launch failed.\n\n"
    "The navy said the rocket fell into the sea.\n\n"
    "Analysts said more tests are likely."
)


@pytest.fixture
def story(reporter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return article_start(
            actor=reporter,
            content=article_content(body=BODY, author_ids=(reporter.pk,)),
        )


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def claim_url(claim) -> str:
    return reverse("admin:articles_article_claim", args=[claim.article_id, claim.pk])


def open_form(client, article) -> dict[str, list[str]]:
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_data(response.content.decode(), "article_form")


def reviewed(claim, factchecker, veracity="accurate"):
    return factcheck_services.claim_review(
        claim_id=claim.pk,
        actor=factchecker,
        attribution="confirmed",
        veracity=veracity,
        reviewed_text=claim.text,
    )


# Bylines ------------------------------------------------------------------


def test_bylines_keep_the_order_the_editor_chose_on_the_form_and_the_reader_page(
    client, editor, story
):
    zed = UserFactory(
        username="aaron", first_name="Zed", last_name="Zulu", role="reporter"
    )
    amy = UserFactory(
        username="bea", first_name="Amy", last_name="Able", role="reporter"
    )
    client.force_login(editor)
    data = open_form(client, story)
    data["byline_users"] = ["Amy Able (bea)", "zed zulu", ""]  # by name or full name

    assert client.post(change_url(story), data).status_code == 302

    stored = Byline.objects.filter(article=story).order_by("position")
    assert [(b.user, b.position) for b in stored] == [(amy, 0), (zed, 1)]
    again = open_form(client, story)["byline_users"]
    assert again[:2] == ["Amy Able (bea)", "Zed Zulu (aaron)"]
    page = client.get(reverse("reader:staff_preview", args=[story.pk]))
    assert "By Amy Able and Zed Zulu" in page.content.decode()


def test_an_unknown_or_repeated_byline_is_a_form_error_and_keeps_the_text(
    client, editor, story
):
    client.force_login(editor)
    data = open_form(client, story)
    data["body"] = [BODY + "\n\nA new paragraph."]
    data["byline_users"] = ["Nobody Here"]
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "No one on the staff is called “Nobody Here”" in page
    assert "A new paragraph." in page
    data["byline_users"] = ["editor", "Editor"]
    response = client.post(change_url(story), data)
    assert "is credited twice" in response.content.decode()


# Time zones ---------------------------------------------------------------


def test_times_are_entered_and_shown_in_the_newsroom_zone(
    client, editor, story, settings
):
    settings.TIME_ZONE = "Asia/Seoul"
    client.force_login(editor)
    data = open_form(client, story)
    data["embargo_until"] = ["2026-01-05T09:00"]
    response = client.post(change_url(story), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story.refresh_from_db()
    assert story.embargo_until == datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    page = client.get(change_url(story)).content.decode()
    assert "Newsroom time (Asia/Seoul, UTC+09:00)" in page
    assert 'value="2026-01-05T09:00"' in page
    assert "embargoed until 5 Jan 2026 09:00 KST" in page


# The claims panel ----------------------------------------------------------


def test_the_panel_shows_each_claim_with_speaker_kind_and_review_state(
    client, editor, factchecker, story
):
    first, second, third = story.claims.order_by("start")
    reviewed(first, factchecker)
    reviewed(second, factchecker, veracity="misleading")
    factcheck_services.claim_accept(claim_id=third.pk, actor=editor)
    data_body = BODY.replace("the rocket fell", "the rocket surely fell")
    article_save(
        article=story,
        actor=editor,
        content=article_content(
            body=data_body,
            section=story.section_id,
            author_ids=(),
        ),
        base_revision_id=story.current_revision_id,
    )
    client.force_login(editor)
    url = reverse("admin:articles_article_claims", args=[story.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"fragment": "1"})
    page = response.content.decode()
    assert "<html" not in page  # a fragment for the change page to swap in
    rows = {row.claim.pk: row for row in response.context["panel_claims"]}
    assert rows[first.pk].state == "reviewed"
    assert rows[first.pk].checked_by == factchecker.get_full_name()
    assert "Confirmed: the source did say this · Accurate" in page
    assert rows[second.pk].state == "reopened"  # its sentence was edited
    assert rows[third.pk].state == "awaiting"
    assert "Reopened by an edit" in page and "Awaiting review" in page
    # 8, and the session's second-factor check (desk.middleware).
    assert len(queries) <= 9


def test_fixing_a_speaker_in_the_panel_goes_through_the_service_with_its_version(
    client, editor, story
):
    claim = story.claims.order_by("start").first()
    speaker = SourceFactory(name="Navy spokesperson")
    client.force_login(editor)
    data = form_data(client.get(claim_url(claim), {"fragment": "1"}).content.decode())
    data.update(
        {
            "claim-kind": [Claim.Kind.REPORTED_SPEECH],
            "claim-speaker": [str(speaker.pk)],
            "action": ["correct"],
        }
    )
    response = client.post(claim_url(claim), data)
    assert response.json() == {"done": "Claim saved."}
    claim.refresh_from_db()
    assert claim.speaker == speaker and claim.origin == Claim.Origin.ACCEPTED
    assert AuditEntry.objects.filter(
        claim_id=claim.pk, action=AuditEntry.Action.CLAIM_CHANGED, actor=editor
    ).exists()

    # Without JavaScript the same form is a page, and the save goes back to the story.
    data = form_data(client.get(claim_url(claim)).content.decode())
    data.update({"claim-cue": ["said"], "action": ["correct"]})
    response = client.post(claim_url(claim), data)
    assert response.status_code == 302 and response.url == change_url(story)


def test_split_merge_and_dismiss_from_the_panel(client, editor, reporter, story):
    first, second, _ = story.claims.order_by("start")
    client.force_login(editor)
    data = form_data(client.get(claim_url(first)).content.decode())
    response = client.post(claim_url(first), {**data, "action": "merge_next"})
    assert response.status_code == 302
    merged = Claim.objects.get(pk=first.pk)
    assert merged.text == BODY[: BODY.index("sea.") + 4]
    assert Claim.objects.get(pk=second.pk).anchor == Claim.Anchor.DETACHED

    data = form_data(client.get(claim_url(merged)).content.decode())
    split = {**data, "action": "split", "split-second_part_starts_with": "The navy"}
    assert client.post(claim_url(merged), split).status_code == 302
    assert Claim.objects.get(pk=merged.pk).text == "Officials said the launch failed."

    # The story's own reporter may not dismiss a claim of it: said, not a 500.
    reporter.user_permissions.add(Permission.objects.get(codename="change_claim"))
    client.force_login(reporter)
    data = form_data(client.get(claim_url(merged)).content.decode())
    response = client.post(claim_url(merged), {**data, "action": "dismiss"})
    assert response.status_code == 403
    assert "You wrote or edited this story" in response.content.decode()
    assert Claim.objects.get(pk=merged.pk).review != Claim.Review.DISMISSED


def test_saving_an_edit_that_reopens_a_checked_claim_is_flagged_before_the_save(
    client, editor, factchecker, story
):
    _, second, third = story.claims.order_by("start")
    reviewed(second, factchecker)
    reviewed(third, factchecker)
    client.force_login(editor)
    url = reverse("admin:articles_article_claims_preview", args=[story.pk])

    unchanged = client.post(url, {"body": BODY}).json()
    assert unchanged == {"warnings": []}
    edited = BODY.replace("the rocket fell", "the rocket apparently fell").replace(
        "\n\nAnalysts said more tests are likely.", ""
    )
    warnings = client.post(url, {"body": edited}).json()["warnings"]
    name = factchecker.get_full_name()
    assert [(w["claim"], w["outcome"]) for w in warnings] == [
        (second.pk, "reopens"),
        (third.pk, "removes"),
    ]
    assert warnings[0]["message"].startswith(
        f"Saving this reopens the claim checked by {name}"
    )
    # Reading only: nothing changed.
    assert Claim.objects.get(pk=second.pk).review == Claim.Review.REVIEWED
    assert client.get(url).status_code == 405


# A story with hundreds of claims ------------------------------------------------


def _story_with_claims(reporter, count: int) -> Article:
    sentences = [f"Official number {n} said the count was {n}." for n in range(count)]
    body = "\n\n".join(sentences)
    article = article_start(
        actor=reporter, content=article_content(body=body, slug=f"many-{count}")
    )
    factcheck_services.claims_propose(article_id=article.pk)
    assert article.claims.count() == count
    return article


def test_a_story_with_250_claims_opens_with_bounded_queries_and_saves(
    client, editor, reporter
):
    small, large = _story_with_claims(reporter, 2), _story_with_claims(reporter, 250)
    client.force_login(editor)
    counts = {}
    for article in (small, large):
        client.get(change_url(article))  # the edit session row exists from here on
        with CaptureQueriesContext(connection) as queries:
            response = client.get(change_url(article))
        assert response.status_code == 200
        counts[article.pk] = len(queries)
    assert counts[small.pk] == counts[large.pk] <= 40

    data = form_data(response.content.decode(), "article_form")
    fields = sum(len(values) for values in data.values())
    assert fields < 60 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    data["headline"] = ["Two hundred and fifty voices"]
    assert client.post(change_url(large), data).status_code == 302
    large.refresh_from_db()
    assert large.headline == "Two hundred and fifty voices"
    assert large.claims.exclude(anchor=Claim.Anchor.ANCHORED).count() == 0


# Actions: only for who may take them, and consequential ones ask first -------


def _action_names(client) -> set[str]:
    response = client.get(reverse("admin:articles_article_changelist"))
    return {
        name for name, _ in response.context["action_form"].fields["action"].choices
    }


def test_changelist_actions_are_offered_only_to_roles_that_may_take_them(
    client, reporter, editor, publisher, story
):
    client.force_login(reporter)
    assert "transition_submit" in _action_names(client)
    assert not {"transition_approve", "transition_publish"} & _action_names(client)
    client.force_login(editor)
    assert "transition_approve" in _action_names(client)
    assert "transition_publish" not in _action_names(client)
    client.force_login(publisher)
    assert {"transition_publish", "transition_approve"} <= _action_names(client)


def test_publishing_from_the_changelist_asks_first_naming_the_consequence(
    client, publisher, factchecker, editor, story
):
    for claim in story.claims.all():
        reviewed(claim, factchecker)
    workflow.article_transition(
        article_id=story.pk, actor=story.created_by, name="submit"
    )
    workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    client.force_login(publisher)
    url = reverse("admin:articles_article_changelist")
    chosen = {"action": "transition_publish", "_selected_action": [story.pk]}

    first = client.post(url, chosen)
    assert first.status_code == 200
    assert "Readers see the story now" in first.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.APPROVED

    client.post(url, {**chosen, "confirmed": "yes"})
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_the_change_page_lists_the_actions_of_the_table_and_says_why_not(
    client, editor, reporter, story
):
    workflow.article_transition(article_id=story.pk, actor=reporter, name="submit")
    client.force_login(editor)
    data = open_form(client, story)
    data["headline"] = ["An editor's headline"]
    client.post(change_url(story), data)

    response = client.get(change_url(story))
    options = {
        o.transition.name: o.reason for o in response.context["workflow_options"]
    }
    assert set(options) == {"approve", "override_approve", "request_changes"}
    assert "ask someone with the publisher role" in options["override_approve"]
    assert "You wrote or edited this story" in options["approve"]
    assert options["request_changes"] == ""
    page = response.content.decode()
    assert "Request changes…" in page  # a confirmation step, not one click
    assert "You wrote or edited this story" in page


def test_an_override_with_nothing_to_override_is_not_listed_for_anyone(
    client, editor, factchecker, reporter, story
):
    workflow.article_transition(article_id=story.pk, actor=reporter, name="submit")
    for claim in story.claims.all():
        reviewed(claim, factchecker)
    client.force_login(editor)

    page = client.get(reverse("desk:story", args=[story.pk])).content.decode()
    assert "Approve despite open claims" not in page
    assert "Approve" in page


def test_request_changes_on_the_desk_asks_first_then_acts_and_returns(
    client, editor, reporter, story
):
    workflow.article_transition(article_id=story.pk, actor=reporter, name="submit")
    client.force_login(editor)
    url = reverse("desk:story_transition", args=[story.pk, "request_changes"])
    confirm = client.get(url, {"next": change_url(story)})
    page = confirm.content.decode()
    assert "The story goes back to draft" in page and "Yes, request changes" in page
    story.refresh_from_db()
    assert story.status == Article.Status.SUBMITTED

    done = client.post(
        url, {"message": "Source the second claim.", "next": change_url(story)}
    )
    assert done.status_code == 302 and done.url == change_url(story)
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT

    # Off-site addresses are not followed.
    workflow.article_transition(article_id=story.pk, actor=reporter, name="submit")
    away = client.post(url, {"message": "Again.", "next": "https://evil.example/"})
    assert away.url == reverse("desk:story", args=[story.pk])


def test_the_desk_story_page_says_why_an_action_is_not_yours(client, reporter, story):
    workflow.article_transition(article_id=story.pk, actor=reporter, name="submit")
    client.force_login(reporter)
    page = client.get(reverse("desk:story", args=[story.pk])).content.decode()
    assert "Your role does not allow “Approve”" in page


def test_restoring_a_revision_asks_first_and_shows_what_changes(client, editor, story):
    first = story.current_revision
    client.force_login(editor)
    data = open_form(client, story)
    data["headline"] = ["A second headline"]
    client.post(change_url(story), data)
    url = reverse("admin:articles_article_restore", args=[story.pk, first.pk])

    confirm = client.get(url)
    page = confirm.content.decode()
    assert "Yes, restore revision 1" in page and "<del>A second headline</del>" in page
    assert story.revisions.count() == 2
    form = form_data(page)
    assert client.post(url, form).status_code == 302
    assert story.revisions.count() == 3


def test_a_story_its_reporter_may_no_longer_edit_still_shows_its_text(
    client, reporter, story
):
    workflow.article_transition(article_id=story.pk, actor=reporter, name="submit")
    client.force_login(reporter)
    response = client.get(change_url(story))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The navy said the rocket fell into the sea." in page
    assert 'name="body"' not in page  # shown, not editable


def test_the_panel_says_when_claims_are_being_proposed_and_when_that_failed(
    client, editor, reporter
):
    # Saved without its commit callbacks running: the proposal job waits.
    article = article_start(actor=reporter, content=article_content(body=BODY))
    client.force_login(editor)
    url = reverse("admin:articles_article_claims", args=[article.pk])
    waiting = client.get(url, {"fragment": "1"})
    assert "Proposing claims for the latest text" in waiting.content.decode()
    assert waiting.context["poll_ms"] < 2000  # asks again soon

    Job.objects.filter(key=f"propose-claims:{article.pk}").update(
        failed_at="2026-01-04T00:00:00Z"
    )
    failed = client.get(url, {"fragment": "1"})
    assert "run it again from the story" in failed.content.decode()
    assert failed.context["poll_ms"] >= 20000


def test_a_byline_of_someone_who_left_the_staff_is_kept_on_save(client, editor, story):
    left = UserFactory(
        username="gone", first_name="Gina", last_name="Gone", role="reporter"
    )
    client.force_login(editor)
    data = open_form(client, story)
    data["byline_users"] = ["Gina Gone (gone)"]
    assert client.post(change_url(story), data).status_code == 302
    left.is_staff = False
    left.save()
    data = open_form(client, story)
    assert data["byline_users"][0] == "Gina Gone (gone)"
    data["headline"] = ["Saved after she left"]
    assert client.post(change_url(story), data).status_code == 302
    assert [b.user for b in Byline.objects.filter(article=story)] == [left]
