"""Agency ingest against a local feed server: new items, updates, broken feeds."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model

from articles.content import ArticleContent
from articles.models import Article
from desk import workflow
from desk.models import Notification
from desk.services import article_save
from ingest.models import AgencyFeed, FeedProblem, IngestedItem
from ingest.services import feed_poll
from ingest.tasks import poll_agency_feeds_task
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def rss(*items) -> bytes:
    entries = "".join(
        f"""<item><guid>{guid}</guid><title>{title}</title>
        <pubDate>Sun, 04 Jan 2026 07:50:00 GMT</pubDate>
        <description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"""
        for guid, title, body in items
    )
    return f"""<?xml version="1.0"?><rss version="2.0"><channel>
    <title>Wire</title><link>https://wire.example/</link>
    <description>Agency wire</description>{entries}</channel></rss>""".encode()


FIRST = (
    "wire-1",
    "Missiles launched toward sea",
    "The military said it detected a launch.",
)
SECOND = ("wire-2", "Summit opens in Beijing", "Officials said talks began on Monday.")
FIRST_UPDATED = (
    "wire-1",
    "Missiles launched toward sea, Seoul says",
    "The military said it detected a launch. Experts say more tests are likely.",
)
THIRD = ("wire-3", "Typhoon nears coast", "Forecasters said the storm would land.")


class _Wire(BaseHTTPRequestHandler):
    """Serves ``feeds[path]`` with an ETag, and 304 to a client that has it."""

    feeds: dict[str, bytes] = {}
    seen: list[dict] = []

    def do_GET(self):
        self.seen.append({"path": self.path, **dict(self.headers)})
        body = self.feeds.get(self.path)
        if body is None:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"{hash(body)}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def wire(settings):
    settings.AGENCY_FEEDS_ALLOW_PRIVATE = True
    _Wire.feeds, _Wire.seen = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Wire)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def agency_desk(db):
    return UserFactory(username="wire-desk", role="reporter")


def make_feed(url, owner, name="Wire", **extra):
    return AgencyFeed.objects.create(
        name=name,
        url=url,
        section=SectionFactory(slug="world"),
        credit="Example Press",
        owner=owner,
        **extra,
    )


def test_a_feed_is_ingested_updated_and_never_duplicated(
    wire, agency_desk, django_capture_on_commit_callbacks
):
    _Wire.feeds["/wire.rss"] = rss(FIRST, SECOND)
    feed = make_feed(wire + "/wire.rss", agency_desk)
    with django_capture_on_commit_callbacks(execute=True):
        result = feed_poll(feed_id=feed.pk, force=True)
    assert (result.created, result.problems) == (2, 0)
    first = IngestedItem.objects.get(guid="wire-1").article
    assert first.status == "draft" and first.created_by == agency_desk
    assert first.contributor_credit == "Example Press" and first.section == feed.section
    assert first.body == "The military said it detected a launch."
    assert first.claims.exists()  # proposed in the background

    # Read again: the server says nothing changed.
    result = feed_poll(feed_id=feed.pk, force=True)
    assert result.not_modified and _Wire.seen[-1]["If-None-Match"]

    # One item changed, one added.
    _Wire.feeds["/wire.rss"] = rss(FIRST_UPDATED, SECOND, THIRD)
    with django_capture_on_commit_callbacks(execute=True):
        result = feed_poll(feed_id=feed.pk, force=True)
    assert (result.created, result.revised, result.unchanged) == (1, 1, 1)
    assert Article.objects.count() == 3
    first.refresh_from_db()
    assert first.headline == "Missiles launched toward sea, Seoul says"
    assert first.revisions.count() == 2
    assert first.current_revision.summary.startswith("Agency update from Wire")
    assert IngestedItem.objects.count() == 3

    # The same feed read twice more: nothing new.
    feed_poll(feed_id=feed.pk, force=True)
    _Wire.feeds["/wire.rss"] = rss(FIRST_UPDATED, SECOND, THIRD) + b" "
    feed_poll(feed_id=feed.pk, force=True)
    assert Article.objects.count() == 3 and first.revisions.count() == 2


def test_an_update_after_the_desk_took_the_story_is_a_note_not_an_overwrite(
    wire, agency_desk, editor, publisher, django_capture_on_commit_callbacks
):
    _Wire.feeds["/wire.rss"] = rss(FIRST)
    feed = make_feed(wire + "/wire.rss", agency_desk)
    feed_poll(feed_id=feed.pk, force=True)
    article = Article.objects.get()
    edited = ArticleContent.of_revision(article.current_revision)
    article_save(
        article=article,
        actor=editor,
        content=ArticleContent(**{**edited.as_dict(), "headline": "Desk's headline"}),
        base_revision_id=article.current_revision_id,
    )
    _Wire.feeds["/wire.rss"] = rss(FIRST_UPDATED)
    result = feed_poll(feed_id=feed.pk, force=True)
    assert result.noted == 1 and result.revised == 0
    article.refresh_from_db()
    assert article.headline == "Desk's headline" and article.revisions.count() == 2
    notes = Notification.objects.filter(verb=Notification.Verb.AGENCY_UPDATE)
    assert {note.recipient for note in notes} == {agency_desk, editor}
    assert all(n.article == article and "new version" in n.message for n in notes)


def test_a_broken_feed_is_reported_and_the_sweep_goes_on(
    wire, agency_desk, editor, settings, django_capture_on_commit_callbacks
):
    settings.AGENCY_FEED_ALERT_AFTER = 2
    _Wire.feeds["/good.rss"] = rss(FIRST)
    _Wire.feeds["/broken.rss"] = b"<html><body>Gateway lunch break</body></html>"
    broken = make_feed(wire + "/broken.rss", agency_desk, name="Broken")
    erroring = make_feed(wire + "/missing.rss", agency_desk, name="Erroring")
    good = make_feed(wire + "/good.rss", agency_desk, name="Good")
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_agency_feeds_task.delay().get() == 3
    assert IngestedItem.objects.filter(feed=good).count() == 1
    broken.refresh_from_db()
    erroring.refresh_from_db()
    assert broken.failures == 1 and "not an RSS or Atom feed" in broken.last_error
    assert erroring.failures == 1 and "HTTP 500" in erroring.last_error
    assert FeedProblem.objects.filter(feed=broken).exists()
    # Failing again: the editors are told, once.
    for _ in range(2):
        for feed in (broken, erroring):
            feed_poll(feed_id=feed.pk, force=True)
    alerts = Notification.objects.filter(verb=Notification.Verb.INTEGRATION_FAILING)
    assert alerts.filter(recipient=editor).count() == 2  # one per failing feed
    assert "Broken" in " ".join(alerts.values_list("message", flat=True))
    # The desk shows it.
    from django.test import Client

    client = Client()
    client.force_login(editor)
    page = client.get("/desk/feeds/").content.decode()
    assert "Gateway" not in page and "not an RSS or Atom feed" in page
    assert "failing: 3 reads in a row" in page


def test_a_bad_item_is_reported_and_the_others_are_taken(wire, agency_desk):
    _Wire.feeds["/wire.rss"] = rss(FIRST, ("", "No guid", "Text."), ("wire-9", "", ""))
    feed = make_feed(wire + "/wire.rss", agency_desk)
    result = feed_poll(feed_id=feed.pk, force=True)
    assert result.created == 1 and result.problems >= 1
    assert Article.objects.count() == 1
    assert FeedProblem.objects.filter(feed=feed, message__startswith="item").exists()


def test_a_feed_on_the_internal_network_is_refused_unless_allowed(
    wire, agency_desk, settings
):
    settings.AGENCY_FEEDS_ALLOW_PRIVATE = False
    _Wire.feeds["/wire.rss"] = rss(FIRST)
    feed = make_feed(wire + "/wire.rss", agency_desk)
    result = feed_poll(feed_id=feed.pk, force=True)
    assert "not a public address" in result.error or "not a web port" in result.error
    assert _Wire.seen == [] and not Article.objects.exists()


def test_a_feed_is_read_once_however_many_sweeps(wire, agency_desk):
    _Wire.feeds["/wire.rss"] = rss(FIRST)
    feed = make_feed(wire + "/wire.rss", agency_desk)
    assert feed_poll(feed_id=feed.pk) is not None
    assert feed_poll(feed_id=feed.pk) is None  # not due again for five minutes
    assert len(_Wire.seen) == 1


def test_a_published_story_updated_by_the_agency_gets_a_note(
    wire,
    agency_desk,
    editor,
    publisher,
    factchecker,
    django_capture_on_commit_callbacks,
):
    _Wire.feeds["/wire.rss"] = rss(FIRST)
    feed = make_feed(wire + "/wire.rss", agency_desk)
    with django_capture_on_commit_callbacks(execute=True):
        feed_poll(feed_id=feed.pk, force=True)
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    _Wire.feeds["/wire.rss"] = rss(FIRST_UPDATED)
    result = feed_poll(feed_id=feed.pk, force=True)
    assert result.noted == 1
    note = Notification.objects.get(verb="agency_update", recipient=agency_desk)
    assert "add a correction" in note.message
    assert article.revisions.count() == 1
    assert workflow  # the story's state is only ever the workflow's to change


def test_the_owner_needs_the_right_to_write_drafts(wire):
    _Wire.feeds["/wire.rss"] = rss(FIRST)
    feed = make_feed(wire + "/wire.rss", get_user_model().objects.create(username="x"))
    result = feed_poll(feed_id=feed.pk, force=True)
    assert result.problems == 1 and not Article.objects.exists()
    assert "may not create" in FeedProblem.objects.get().message
