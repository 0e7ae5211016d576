"""Readers' error reports reach the standards desk (#10.9): the roles who
handle corrections see them on the desk and in the admin, are told when one
arrives, and mark them handled (audited); a refused report says why."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.signing import dumps
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEntry
from desk.models import ErrorReport, Notification
from reader.forms import _SALT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STANDARDS_DESK = {"editor", "publisher", "factchecker"}


def _send(client, article, *, seconds_ago=10, message="The range was 900 km."):
    return client.post(
        reverse("reader:report_error", args=[article.pk]),
        {"message": message, "started": dumps(time.time() - seconds_ago, salt=_SALT)},
    )


@pytest.fixture
def report(client, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(client, published).status_code == 302
    return ErrorReport.objects.get()


def test_the_standards_desk_is_told_when_a_report_arrives(report):
    told = Notification.objects.filter(verb=Notification.Verb.ERROR_REPORT)
    assert {n.recipient.username for n in told} == STANDARDS_DESK | {"admin"}
    notice = told.first()
    assert "900 km" in notice.message
    assert notice.get_absolute_url() == reverse("desk:error_reports")
    assert {m.to[0].split("@")[0] for m in mail.outbox} >= STANDARDS_DESK


@pytest.mark.parametrize("username", sorted(STANDARDS_DESK))
def test_they_list_and_mark_reports_handled_on_the_desk(
    client, report, username, django_assert_max_num_queries
):
    client.force_login(get_user_model().objects.get(username=username))
    page_url = reverse("desk:error_reports")
    with django_assert_max_num_queries(8):
        page = client.get(page_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "The range was 900 km." in text and escape(report.article.headline) in text
    handled = client.post(
        reverse("desk:error_report_handle", args=[report.pk]),
        {"status": "handled", "note": "Checked: the story says 900 km."},
    )
    assert handled.status_code == 302
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.HANDLED
    assert report.handled_by.username == username and report.handled_at
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERROR_REPORT)
    assert entry.actor == report.handled_by and entry.article == report.article
    assert (entry.from_state, entry.to_state) == ("new", "handled")
    assert entry.message == "Checked: the story says 900 km."
    assert "The range was 900 km." not in client.get(page_url).content.decode()
    again = client.post(
        reverse("desk:error_report_handle", args=[report.pk]), {"status": "spam"}
    )
    assert again.status_code == 409


def test_reporters_neither_see_nor_handle_reports(client, report):
    reporter = UserFactory(username="writer", role="reporter")
    client.force_login(reporter)
    assert client.get(reverse("desk:error_reports")).status_code == 403
    response = client.post(
        reverse("desk:error_report_handle", args=[report.pk]), {"status": "handled"}
    )
    assert response.status_code == 403
    assert ErrorReport.objects.get().status == ErrorReport.Status.NEW


def test_the_admin_marks_them_through_the_same_service(client, report):
    client.force_login(get_user_model().objects.get(username="publisher"))
    response = client.post(
        reverse("admin:desk_errorreport_changelist"),
        {"action": "mark_handled", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    assert ErrorReport.objects.get().status == ErrorReport.Status.HANDLED
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERROR_REPORT).count() == 1


def test_a_report_sent_too_soon_after_opening_the_form_says_so(client, published):
    response = _send(client, published, seconds_ago=1, message="Sent at once, kept.")
    assert response.status_code == 400
    text = response.content.decode()
    assert "sent within a few seconds of opening the form" in text
    assert "Sent at once, kept." in text
    assert not ErrorReport.objects.exists()


def test_an_expired_or_forged_form_says_so(client, published):
    response = _send(client, published, seconds_ago=2 * 24 * 3600)
    assert "This form was opened more than a day ago" in response.content.decode()
    forged = client.post(
        reverse("reader:report_error", args=[published.pk]),
        {"message": "The range was 900 km.", "started": "nonsense"},
    )
    assert forged.status_code == 400
    assert "send it again" in forged.content.decode()
    assert forged.context["form"]["started"].value() != "nonsense"
