"""Evidence link checks: against a local web server, never the internet."""

import datetime
import ipaddress
import socket
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from factcheck import links
from factcheck.models import Evidence
from factcheck.services import claim_review, evidence_link_check, evidence_links_due
from factcheck.tasks import recheck_evidence_links_task
from tests.factories import article_content

pytestmark = pytest.mark.django_db

Status = Evidence.LinkStatus


class _Site(BaseHTTPRequestHandler):
    """A small site: each path below answers as its name says."""

    requests: list[tuple[str, str]] = []

    def _drip(self):
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while True:
            self.wfile.write(b"X")
            self.wfile.flush()
            time.sleep(0.1)

    def _continue_for_ever(self):
        while True:
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.wfile.flush()
            time.sleep(0.1)

    def _redirect_with_a_huge_body(self):
        self.wfile.write(b"HTTP/1.1 302 Found\r\nLocation: /ok\r\n\r\n")
        for _ in range(3000):  # 30 MB, if anyone reads it
            self.wfile.write(b"x" * 10_000)

    endless = {
        "/drip": _drip,
        "/continue": _continue_for_ever,
        "/huge-redirect": _redirect_with_a_huge_body,
    }
    redirects = {
        "/to-huge-redirect": "/huge-redirect",
        "/moved": "/ok",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/garbled": "http://[::1",
    }

    def _answer(self, method: str) -> None:
        self.requests.append((method, self.path))
        if self.path in self.endless:
            try:
                self.endless[self.path](self)
            except OSError:  # The checker hung up: as it should.
                return
        if self.path in self.redirects:
            self.send_response(301)
            self.send_header("Location", self.redirects[self.path])
        elif self.path == "/no-head" and method == "HEAD":
            self.send_response(405)
        elif self.path == "/head-says-gone":
            self.send_response(404 if method == "HEAD" else 200)
        else:
            codes = {"/ok": 200, "/no-head": 200, "/gone": 404, "/failing": 503}
            self.send_response(codes.get(self.path, 404))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self._answer("HEAD")

    def do_GET(self):
        self._answer("GET")

    def log_message(self, *args):
        pass


@pytest.fixture
def site(settings):
    """A local web server the check may reach, as an intranet source would be."""
    settings.EVIDENCE_LINK_CHECK_PRIVATE = True
    _Site.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/ok", Status.OK, "HTTP 200"),
        ("/moved", Status.OK, "HTTP 200"),
        ("/no-head", Status.OK, "HTTP 200"),
        ("/head-says-gone", Status.OK, "HTTP 200"),  # confirmed with a GET
        ("/gone", Status.BROKEN, "HTTP 404"),
        ("/failing", Status.UNREACHABLE, "HTTP 503"),
    ],
)
def test_a_link_is_checked_for_what_readers_would_find(site, path, status, detail):
    assert links.check_link(site + path) == links.LinkCheck(status, detail)


def test_a_site_that_is_down_is_unreachable_not_gone(settings):
    settings.EVIDENCE_LINK_CHECK_PRIVATE = True
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check = links.check_link(f"http://127.0.0.1:{port}/")
    assert check.status == Status.UNREACHABLE and check.detail


def test_a_garbled_redirect_is_a_failing_site_not_an_error(site):
    check = links.check_link(site + "/garbled")
    assert check.status == Status.UNREACHABLE


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/admin/",
        "http://localhost/",
        "http://localhost:6379/",
        "https://93.184.216.34:5432/",
        "http://10.0.0.7/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::a00:7]/",
        "http://127.0.0.1%2f@example.org/",
        "http://user@example.org/",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "http://example.org:notaport/",
    ],
)
def test_links_into_our_own_network_are_never_fetched(settings, url):
    settings.EVIDENCE_LINK_CHECK_PRIVATE = False
    assert links.check_link(url).status == Status.REFUSED


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("169.254.169.254", False),
        ("::1", False),
        ("fd00::1", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("2002:a00:1::1", False),  # 6to4 of 10.0.0.1
        ("::a00:7", False),  # IPv4-compatible
        ("::ffff:0:a00:7", False),  # SIIT
        ("fec0::1", False),  # site-local
        ("224.0.0.1", False),
        ("ff02::1", False),
    ],
)
def test_only_public_addresses_are_allowed(settings, address, allowed):
    settings.EVIDENCE_LINK_CHECK_PRIVATE = False
    assert links._allowed_address(ipaddress.ip_address(address)) is allowed


@pytest.fixture
def only_loopback_is_public(monkeypatch):
    """Our local site stands in for the internet; everything else is inside."""
    loopback = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(links, "_allowed_address", lambda address: address == loopback)


def test_a_redirect_into_our_own_network_is_not_followed(site, only_loopback_is_public):
    assert links.check_link(site + "/ok").status == Status.OK
    check = links.check_link(site + "/to-metadata")
    assert check.status == Status.REFUSED and "169.254.169.254" in check.detail


def test_a_name_that_also_resolves_inside_is_refused(
    site, only_loopback_is_public, monkeypatch
):
    port = int(site.rsplit(":", 1)[1])
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
        for ip in ("127.0.0.1", "10.0.0.7")
    ]
    monkeypatch.setattr(links.socket, "getaddrinfo", lambda *args, **kw: answers)
    check = links.check_link(f"http://rebinding.example:{port}/ok")
    assert check.status == Status.REFUSED and _Site.requests == []


@pytest.fixture
def reviewed_claim(reporter, factchecker, django_capture_on_commit_callbacks):
    from desk.services import article_start

    with django_capture_on_commit_callbacks(execute=True):
        article = article_start(
            actor=reporter,
            content=article_content(body="Officials said the launch failed."),
        )
    return article.claims.get()


def review_with_links(claim, factchecker, urls, capture):
    with capture(execute=True):
        claim_review(
            claim_id=claim.pk,
            actor=factchecker,
            attribution="confirmed",
            veracity="accurate",
            evidence=[{"title": url, "url": url} for url in urls],
        )
    return list(claim.evidence.order_by("pk"))


def test_evidence_added_in_a_review_is_checked_after_commit(
    site, settings, reviewed_claim, factchecker, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_LINK_CHECKS = True
    ok, gone = review_with_links(
        reviewed_claim,
        factchecker,
        [site + "/ok", site + "/gone"],
        django_capture_on_commit_callbacks,
    )
    ok.refresh_from_db()
    gone.refresh_from_db()
    assert (ok.link_status, gone.link_status) == (Status.OK, Status.BROKEN)
    assert gone.link_detail == "HTTP 404" and gone.link_checked_at is not None


def test_checks_can_be_turned_off(
    site, reviewed_claim, factchecker, django_capture_on_commit_callbacks
):
    (item,) = review_with_links(
        reviewed_claim, factchecker, [site + "/ok"], django_capture_on_commit_callbacks
    )
    item.refresh_from_db()
    assert item.link_status == Status.UNCHECKED and _Site.requests == []


def test_a_check_is_not_recorded_against_a_link_that_changed_meanwhile(
    site, reviewed_claim, factchecker, django_capture_on_commit_callbacks, monkeypatch
):
    (item,) = review_with_links(
        reviewed_claim,
        factchecker,
        [site + "/gone"],
        django_capture_on_commit_callbacks,
    )
    check = links.check_link

    def check_while_edited(url):
        Evidence.objects.filter(pk=item.pk).update(url=site + "/ok")
        return check(url)

    monkeypatch.setattr(links, "check_link", check_while_edited)
    assert evidence_link_check(evidence_id=item.pk) is None
    item.refresh_from_db()
    assert item.link_status == Status.UNCHECKED


def test_the_daily_recheck_takes_unchecked_and_old_links_first(
    site, settings, reviewed_claim, factchecker, django_capture_on_commit_callbacks
):
    old, fresh, unchecked = review_with_links(
        reviewed_claim,
        factchecker,
        [site + "/ok", site + "/ok", site + "/gone"],
        django_capture_on_commit_callbacks,
    )
    now = timezone.now()
    Evidence.objects.filter(pk=old.pk).update(
        link_checked_at=now
        - datetime.timedelta(days=settings.EVIDENCE_LINK_RECHECK_DAYS)
        - datetime.timedelta(minutes=1)
    )
    Evidence.objects.filter(pk=fresh.pk).update(link_checked_at=now)
    assert evidence_links_due(now=now) == [unchecked.pk, old.pk]
    assert evidence_links_due(now=now, limit=1) == [unchecked.pk]

    with django_capture_on_commit_callbacks(execute=True):
        assert recheck_evidence_links_task.delay().get() == 2
    for item in (old, unchecked, fresh):
        item.refresh_from_db()
    assert (old.link_status, unchecked.link_status) == (Status.OK, Status.BROKEN)
    assert fresh.link_status == Status.UNCHECKED  # checked recently: left alone


def test_a_redirect_to_another_port_is_not_followed(settings):
    settings.EVIDENCE_LINK_CHECK_PRIVATE = False
    with pytest.raises(links.RefusedAddress):
        links._CheckedRedirects().redirect_request(
            None, None, 302, "Found", {}, "http://example.org:6379/"
        )


def test_an_https_name_that_resolves_inside_is_refused(settings, monkeypatch):
    settings.EVIDENCE_LINK_CHECK_PRIVATE = False
    inside = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443))]
    monkeypatch.setattr(links.socket, "getaddrinfo", lambda *args, **kw: inside)
    assert links.check_link("https://intranet.example/").status == Status.REFUSED


def test_a_name_with_no_address_is_refused(monkeypatch, settings):
    settings.EVIDENCE_LINK_CHECK_PRIVATE = False
    monkeypatch.setattr(links.socket, "getaddrinfo", lambda *args, **kw: [])
    assert links.check_link("http://nowhere.example/").status == Status.REFUSED


def test_the_connection_goes_to_the_address_that_was_checked(
    site, only_loopback_is_public, monkeypatch
):
    port = int(site.rsplit(":", 1)[1])
    answers = iter(["127.0.0.1", "10.0.0.7", "10.0.0.7", "10.0.0.7"])
    resolve = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):  # a different answer each time asked
        if host != "rebinding.example":  # an address resolves to itself
            return resolve(host, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(links.socket, "getaddrinfo", rebinding)
    assert links.check_link(f"http://rebinding.example:{port}/ok").status == Status.OK
    assert _Site.requests == [("HEAD", "/ok")]


def test_proxies_from_the_environment_are_not_used(site, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9/")
    assert links.check_link(site + "/ok").status == Status.OK
    assert _Site.requests == [("HEAD", "/ok")]


@pytest.mark.parametrize("path", ["/drip", "/continue"])
def test_a_server_that_never_finishes_answering_is_cut_off(site, monkeypatch, path):
    monkeypatch.setattr(links, "CHECK_SECONDS", 1)
    started = time.monotonic()
    check = links.check_link(site + path)
    assert time.monotonic() - started < 5
    assert check.status == Status.UNREACHABLE and "no complete answer" in check.detail


def test_a_redirect_body_is_never_read(site):
    tracemalloc.start()
    try:
        check = links.check_link(site + "/to-huge-redirect")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert check.status == Status.OK
    assert peak < 5_000_000  # the 30 MB body stayed on the wire


def test_a_long_detail_fits_the_evidence_record(settings, monkeypatch):
    settings.EVIDENCE_LINK_CHECK_PRIVATE = False
    inside = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 80))]
    monkeypatch.setattr(links.socket, "getaddrinfo", lambda *args, **kw: inside)
    check = links.check_link(f"http://{'a' * 60}.{'b' * 60}.{'c' * 60}.example/")
    assert check.status == Status.REFUSED and len(check.detail) <= 200
