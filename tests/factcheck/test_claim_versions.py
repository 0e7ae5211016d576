"""A claim changed by a colleague is never silently overwritten: every form
carries the claim version it was built from, and the second person is told."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from desk.services import article_start
from factcheck import services
from factcheck.exceptions import ClaimConflict
from factcheck.models import Claim, ClaimReview
from tests.factories import SourceFactory, UserFactory, article_content
from tests.html_forms import form_data

BODY = "Officials said the launch failed. The rocket fell into the sea."


@pytest.fixture
def claim(reporter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = article_start(actor=reporter, content=article_content(body=BODY))
    return article.claims.order_by("start").first()


@pytest.fixture
def second_checker(db):
    return UserFactory(username="checker-two", role="fact-checker")


def review(claim, actor, version, veracity="accurate"):
    return services.claim_review(
        claim_id=claim.pk,
        actor=actor,
        attribution="confirmed",
        veracity=veracity,
        reviewed_text=claim.text,
        expected_version=version,
    )


def colleague_corrects_the_speaker(claim):
    corrected = SourceFactory(name="Corrected speaker")
    services.claim_correct(
        claim_id=claim.pk,
        actor=UserFactory(username="editor-two", role="editor"),
        kind=Claim.Kind.REPORTED_SPEECH,
        speaker=corrected,
        channel=None,
    )
    return corrected


@pytest.mark.django_db
def test_every_change_moves_the_version_on(claim, factchecker, editor):
    seen = claim.version
    review(claim, factchecker, seen)
    claim.refresh_from_db()
    assert claim.version == seen + 1
    services.claim_correct(
        claim_id=claim.pk,
        actor=editor,
        kind=Claim.Kind.REPORTED_SPEECH,
        speaker=SourceFactory(),
        channel=None,
        expected_version=claim.version,
    )
    claim.refresh_from_db()
    assert claim.version == seen + 2


@pytest.mark.django_db
def test_the_second_decision_on_the_same_version_is_refused_and_names_the_first(
    claim, factchecker, second_checker
):
    seen = claim.version
    review(claim, factchecker, seen)
    with pytest.raises(ClaimConflict) as refused:
        review(claim, second_checker, seen, veracity="false")
    assert "recorded a decision first: confirmed, accurate" in str(refused.value)
    claim.refresh_from_db()
    assert claim.veracity == "accurate"
    assert ClaimReview.objects.filter(claim=claim).count() == 1


@pytest.mark.django_db
def test_a_second_fact_checker_on_the_desk_sees_the_colleagues_decision(
    client, claim, factchecker, second_checker
):
    url = reverse("desk:claim", args=[claim.pk])
    client.force_login(second_checker)
    stale_form = form_data(client.get(url).content.decode(), form_id="review-form")
    review(claim, factchecker, claim.version)

    response = client.post(
        url, {**stale_form, "attribution": "misattributed", "veracity": "false"}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "recorded a decision first: confirmed, accurate" in page
    claim.refresh_from_db()
    assert (claim.attribution, claim.veracity) == ("confirmed", "accurate")
    # Their own decision is kept in the form, now against the current version.
    again = form_data(page, form_id="review-form")
    assert again["veracity"] == ["false"] and again["version"] == [str(claim.version)]
    assert client.post(url, again).status_code == 302
    claim.refresh_from_db()
    assert claim.veracity == "false"


@pytest.mark.django_db
def test_assign_to_me_after_a_colleague_took_the_claim_is_refused(
    client, claim, factchecker, second_checker
):
    url = reverse("desk:claim_assign", args=[claim.pk])
    stale = {"assign_to_me": "1", "version": claim.version}
    client.force_login(factchecker)
    client.post(url, stale)
    client.force_login(second_checker)
    response = client.post(url, stale, follow=True)
    assert "changed while you had it open" in response.content.decode()
    claim.refresh_from_db()
    assert claim.assignee == factchecker


@pytest.mark.django_db
def test_a_stale_claim_admin_form_does_not_revert_a_colleagues_change(
    client, claim, editor
):
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    client.force_login(editor)
    stale_form = form_data(client.get(url).content.decode(), form_id="claim_form")
    corrected = colleague_corrects_the_speaker(claim)

    mine = {"kind": "unattributed", "speaker": "", "channel": "", "cue": ""}
    response = client.post(url, {**stale_form, **mine}, follow=True)

    assert "Not saved" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.kind, claim.speaker) == (Claim.Kind.REPORTED_SPEECH, corrected)


def _race(*calls):
    """Run the calls at the same moment in their own connections; their outcomes."""
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            call()
            outcomes[index] = "done"
        except ClaimConflict:
            outcomes[index] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_review_decisions_one_lands_the_other_is_told(
    claim, factchecker, second_checker
):
    seen = claim.version
    outcomes = _race(
        lambda: review(claim, factchecker, seen),
        lambda: review(claim, second_checker, seen, veracity="false"),
    )
    assert outcomes == ["conflict", "done"]
    assert ClaimReview.objects.filter(claim=claim).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_claim_edits_one_lands_the_other_is_told(claim, editor):
    other_editor = UserFactory(username="editor-two", role="editor")
    seen = claim.version
    speakers = SourceFactory(name="First"), SourceFactory(name="Second")

    def correct(actor, speaker):
        return lambda: services.claim_correct(
            claim_id=claim.pk,
            actor=actor,
            kind=Claim.Kind.REPORTED_SPEECH,
            speaker=speaker,
            channel=None,
            expected_version=seen,
        )

    outcomes = _race(correct(editor, speakers[0]), correct(other_editor, speakers[1]))
    assert outcomes == ["conflict", "done"]
    claim.refresh_from_db()
    assert claim.version == seen + 1


@pytest.mark.django_db
def test_a_stale_claim_form_in_the_claims_panel_is_refused_and_says_who_changed_it(
    client, claim, editor
):
    url = reverse("admin:articles_article_claim", args=[claim.article_id, claim.pk])
    client.force_login(editor)
    stale_form = form_data(client.get(url).content.decode())
    corrected = colleague_corrects_the_speaker(claim)
    mine = {"claim-kind": ["unattributed"], "claim-speaker": [""]}

    response = client.post(url, {**stale_form, **mine, "action": "correct"})

    assert response.status_code == 409
    assert "changed while you had it open" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.kind, claim.speaker) == (Claim.Kind.REPORTED_SPEECH, corrected)
    # The form now carries the new version: deciding again is possible.
    again = form_data(response.content.decode())
    assert again["claim-seen_version"] == [str(claim.version)]
