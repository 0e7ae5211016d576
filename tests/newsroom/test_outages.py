"""While the database or the cache cannot answer, every request gets a clear
answer within a bounded time, and the operators hear of it."""

import logging
import socket
import threading

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from articles.models import Article
from desk.services import article_start
from newsroom import cache as resilient
from newsroom.environment import database_config, next_redis_database
from tests.conftest import skip_or_fail
from tests.factories import article_content
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def test_an_unreachable_database_is_a_503_with_retry_after(
    client, editor, monkeypatch, caplog
):
    client.force_login(editor)

    def refused(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 refused")

    monkeypatch.setattr("desk.views.selectors.review_queue", refused)
    with caplog.at_level(logging.WARNING, logger="newsroom.middleware"):
        response = client.get(reverse("desk:queue"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "cannot reach our database" in response.content.decode()
    assert "database unavailable" in caplog.text


def test_an_outage_is_reported_as_an_error_once_not_per_request(
    client, editor, monkeypatch, caplog
):
    monkeypatch.setattr("newsroom.middleware._reported_at", -1e9)
    client.force_login(editor)
    monkeypatch.setattr(
        "desk.views.selectors.review_queue",
        lambda **kwargs: (_ for _ in ()).throw(OperationalError("server closed")),
    )
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            client.get(reverse("desk:queue"))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].name == "newsroom.middleware"


def test_postgresql_connections_carry_lock_and_statement_timeouts(tmp_path):
    config = database_config(
        "postgres://app@db:5432/newsroom",
        base_dir=tmp_path,
        pool=False,
        timeouts={"connect": 5, "lock": 5000, "statement": 30000},
    )
    assert config["OPTIONS"]["connect_timeout"] == "5"
    assert config["OPTIONS"]["options"] == (
        "-c lock_timeout=5000 -c statement_timeout=30000"
    )
    own = database_config(
        "postgres://app@db/newsroom?options=-c%20lock_timeout%3D1",
        base_dir=tmp_path,
        pool=False,
        timeouts={"lock": 5000},
    )
    assert own["OPTIONS"]["options"] == "-c lock_timeout=1"  # the URL's own wins


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_behind_a_held_lock_is_told_to_try_again_not_stalled(
    client, editor, reporter
):
    story = article_start(actor=reporter, content=article_content())
    client.force_login(editor)
    url = reverse("desk:story_edit", args=[story.pk])
    form = form_data(client.get(url).content.decode())
    held, release = threading.Event(), threading.Event()

    def hold_the_story():
        with transaction.atomic():
            Article.objects.select_for_update().get(pk=story.pk)
            held.set()
            release.wait(30)
        connection.close()

    holder = threading.Thread(target=hold_the_story)
    holder.start()
    held.wait(30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        response = client.post(url, {**form, "headline": "Mine"})
    finally:
        release.set()
        holder.join(30)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Someone else is working on this" in response.content.decode()
    assert Article.objects.get(pk=story.pk).headline != "Mine"


def test_healthz_tells_the_public_only_whether_it_works(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to host db.internal port 5432")

    public = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert public.json() == {"status": "ok"}
    proxied = client.get("/healthz", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.json() == {"status": "ok"}  # through a proxy: not local

    monkeypatch.setattr("newsroom.health.connection.cursor", broken_cursor)
    down = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert down.status_code == 503
    assert down.json() == {"status": "failed"}
    assert "db.internal" not in down.content.decode()


def test_healthz_gives_staff_the_details(client, editor):
    client.force_login(editor)
    body = client.get("/healthz", REMOTE_ADDR="203.0.113.9").json()
    assert body["database"]["ok"] is True and "broker" in body and "cache" in body


def test_the_cache_has_its_own_redis_database():
    assert next_redis_database("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/1"
    assert next_redis_database("redis://:pw@cache:6379") == "redis://:pw@cache:6379/1"
    assert next_redis_database("") == ""


class StalledRedis:
    """A server that accepts connections and never answers: Redis paused."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.connections.append(self.server.accept()[0])
            except OSError:
                return

    def close(self):
        self.server.close()


@pytest.fixture
def stalled_cache(monkeypatch):
    stalled = StalledRedis()
    cache = resilient.ResilientRedisCache(
        f"redis://127.0.0.1:{stalled.port}/1",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )
    yield cache, stalled
    stalled.close()


def test_a_stalled_cache_is_waited_on_once_then_skipped(stalled_cache, caplog):
    cache, stalled = stalled_cache
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        assert cache.get("page") is None  # waited for the socket timeout once
    assert "going without it" in caplog.text
    tried = len(stalled.connections)
    assert cache.get("page", "default") == "default"
    assert cache.add("key", 1) is False and cache.incr("key") == 0
    cache.set("page", "x")
    assert len(stalled.connections) == tried  # the breaker is open: no new attempt


def test_an_unreachable_cache_answers_as_an_empty_one(monkeypatch):
    cache = resilient.ResilientRedisCache("redis://127.0.0.1:1/1", {})
    assert cache.get("x") is None and cache.get_many(["x"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]


def test_clearing_the_cache_leaves_other_keys_in_its_database(settings):
    if not settings.REDIS_URL:
        skip_or_fail("this test needs Redis (set REDIS_URL)")
    cache = resilient.ResilientRedisCache(settings.CACHE_REDIS_URL, {"KEY_PREFIX": "t"})
    client = RedisCache(settings.CACHE_REDIS_URL, {})._cache.get_client(write=True)
    client.set("celery-queue-like-key", "kept")
    cache.set("page", "dropped")
    cache.clear()
    assert cache.get("page") is None
    assert client.get("celery-queue-like-key") == b"kept"
    client.delete("celery-queue-like-key")
