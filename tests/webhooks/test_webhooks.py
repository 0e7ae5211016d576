"""Webhooks against a local receiver that goes down and comes back."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.auth import get_user_model

from desk import workflow
from desk.models import Notification
from factcheck.services import claim_review
from tests.factories import UserFactory
from webhooks.models import Delivery, DeliveryAttempt, Event, EventKind, Subscription
from webhooks.services import SIGNATURE_HEADER, events_derive
from webhooks.tasks import webhooks_sweep_task

pytestmark = pytest.mark.django_db


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The README's recipe for receivers."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    fresh = abs(time.time() - timestamp) <= tolerance
    return fresh and hmac.compare_digest(expected, parts["v1"])


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict, bytes]] = []
    status = 204

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Receiver:
    """A receiver on a fixed port that can be killed and brought back."""

    def __init__(self):
        _Receiver.received, _Receiver.status = [], 204
        self.port = 0  # any free port, then the same one each time
        self.start()
        self.url = f"http://127.0.0.1:{self.port}/hooks"

    def start(self):
        self.server = HTTPServer(("127.0.0.1", self.port), _Receiver)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def kill(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def received(self):
        return _Receiver.received


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 1
    receiver = Receiver()
    yield receiver
    receiver.kill()


@pytest.fixture
def derive(django_capture_on_commit_callbacks):
    """Derive events from the audit log and run what that sets off."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            events_derive()

    return run


def user(username):
    return get_user_model().objects.get(username=username)


def subscribe(url, events=tuple(EventKind.values), **extra):
    return Subscription.objects.create(
        name="Partner",
        url=url,
        events=list(events),
        created_by=UserFactory(username="root", is_superuser=True),
        **extra,
    )


def sweep_until_settled(captured, *, rounds=10):
    for _ in range(rounds):
        with captured(execute=True):
            webhooks_sweep_task.delay().get()
        if not Delivery.objects.filter(status="pending").exists():
            return
        time.sleep(1.1)
    pytest.fail("deliveries still pending")


def test_every_event_is_delivered_once_after_the_receiver_comes_back(
    receiver, published, django_capture_on_commit_callbacks
):
    subscription = subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        events_derive()  # the publication, already in the audit log
    assert len(receiver.received) == 1

    receiver.kill()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(
            article_id=published.pk,
            actor=user("publisher"),
            name="correct",
            message="The range was 900 km.",
        )
        workflow.article_transition(
            article_id=published.pk,
            actor=user("publisher"),
            name="retract",
            message="The report was withdrawn.",
        )
    failed = Delivery.objects.filter(status="pending")
    assert failed.count() == 2 and all(d.attempts >= 1 for d in failed)
    assert DeliveryAttempt.objects.filter(status_code__isnull=True).exists()
    time.sleep(1.1)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks_sweep_task.delay().get()  # still down: another failed try
    assert Delivery.objects.filter(status="pending", attempts__gte=2).count() == 2

    receiver.start()
    sweep_until_settled(django_capture_on_commit_callbacks)
    for _ in range(2):  # nothing goes twice, however often the sweep runs
        with django_capture_on_commit_callbacks(execute=True):
            webhooks_sweep_task.delay().get()

    kinds = [json.loads(body)["type"] for _, body in receiver.received]
    assert sorted(kinds) == sorted(
        ["story.published", "story.corrected", "story.retracted"]
    )
    ids = [json.loads(body)["id"] for _, body in receiver.received]
    assert len(ids) == len(set(ids)) == Event.objects.count() == 3
    for headers, body in receiver.received:
        assert verify(subscription.secret, headers[SIGNATURE_HEADER], body)
        assert headers["Newsroom-Event"] == json.loads(body)["type"]
    corrected = next(
        json.loads(b) for _, b in receiver.received if b"story.corrected" in b
    )
    assert corrected["correction"]["text"] == "The range was 900 km."
    assert corrected["story"]["api_url"].endswith(f"/api/v1/stories/{published.pk}/")
    delivery = Delivery.objects.get(event__kind="story.corrected")
    assert delivery.status == "delivered" and delivery.last_response_ms is not None
    assert delivery.log.count() >= 3  # two failures and the success


def test_a_forged_or_stale_signature_does_not_verify(receiver, published, derive):
    subscription = subscribe(receiver.url)
    derive()
    headers, body = receiver.received[0]
    assert verify(subscription.secret, headers[SIGNATURE_HEADER], body)
    assert not verify("whsec_other", headers[SIGNATURE_HEADER], body)
    assert not verify(subscription.secret, headers[SIGNATURE_HEADER], body + b" ")
    assert not verify(
        subscription.secret, headers[SIGNATURE_HEADER], body, tolerance=-1
    )


def test_only_public_facts_travel(
    receiver, published, django_capture_on_commit_callbacks
):
    subscribe(receiver.url)
    claim = published.claims.order_by("start").first()
    with django_capture_on_commit_callbacks(execute=True):
        claim_review(
            claim_id=claim.pk,
            actor=user("factchecker"),
            attribution="confirmed",
            veracity="misleading",
            note="SECRET-NOTE",
        )
        workflow.article_transition(
            article_id=published.pk,
            actor=user("publisher"),
            name="unpublish",
            message="SECRET-LEGAL-REASON",
        )
    bodies = b" ".join(body for _, body in receiver.received)
    kinds = {json.loads(body)["type"] for _, body in receiver.received}
    assert kinds == {"story.published", "claim.reviewed", "story.unpublished"}
    assert b"SECRET" not in bodies and b"misleading" not in bodies


def test_reviews_of_stories_not_public_make_no_event(receiver, demo, derive):
    subscribe(receiver.url)
    claim = demo.claims.first()
    claim_review(
        claim_id=claim.pk,
        actor=user("factchecker"),
        attribution="confirmed",
        veracity="accurate",
    )
    derive()
    assert not Event.objects.exists() and receiver.received == []


def test_a_subscription_gets_only_the_events_it_chose(receiver, published, derive):
    subscribe(receiver.url, events=["story.corrected"])
    derive()
    assert receiver.received == [] and not Delivery.objects.exists()


def test_a_failing_receiver_is_turned_off_with_a_notification_then_on_again(
    receiver, published, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER = 2
    _Receiver.status = 500
    subscription = subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        events_derive()
    time.sleep(1.1)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks_sweep_task.delay().get()
    subscription.refresh_from_db()
    assert not subscription.active and "HTTP 500" in subscription.disabled_reason
    told = Notification.objects.filter(verb=Notification.Verb.INTEGRATION_FAILING)
    assert {n.recipient.username for n in told} == {"root", "admin"}  # superusers
    assert all("turned off" in n.message for n in told)
    assert len(receiver.received) == 2
    time.sleep(1.1)
    webhooks_sweep_task.delay().get()  # off: nothing sent
    assert len(receiver.received) == 2

    _Receiver.status = 200
    from webhooks.services import subscription_enable

    with django_capture_on_commit_callbacks(execute=True):
        subscription_enable(subscription_id=subscription.pk)
    assert Delivery.objects.get().status == "delivered"
    assert len(receiver.received) == 3


def test_deliveries_are_sent_again_from_the_admin(
    client, receiver, published, django_capture_on_commit_callbacks
):
    subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        events_derive()
    delivery = Delivery.objects.get()
    client.force_login(UserFactory(username="root", is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/webhooks/delivery/",
            {"action": "redeliver", "_selected_action": [delivery.pk]},
        )
    assert len(receiver.received) == 2
    first, again = (headers["Newsroom-Delivery"] for headers, _ in receiver.received)
    assert first == again == str(delivery.pk)
    page = client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")
    assert page.status_code == 200


def test_internal_addresses_are_refused(client, receiver, published, settings, derive):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(UserFactory(username="root", is_superuser=True))
    response = client.post(
        "/admin/webhooks/subscription/add/",
        {
            "name": "Metadata",
            "url": "http://169.254.169.254/latest",
            "events": ["story.published"],
            "active": "on",
        },
    )
    assert response.status_code == 200 and not Subscription.objects.exists()
    assert "public web addresses" in response.content.decode()
    # An address that turned private after it was saved is refused at sending.
    subscribe(receiver.url)
    derive()
    assert receiver.received == []
    assert "not a web port" in DeliveryAttempt.objects.get().error
