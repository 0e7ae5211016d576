"""A stack of our own to break: a redis-server on its own port as broker and
cache, workers started against it (optionally reaching PostgreSQL through a
proxy we can cut), and a directory counting the emails they send.

The shared Redis and PostgreSQL are never stopped: the outages happen to the
redis-server and the proxies these fixtures start (``bench.faults``).
"""

import shutil
from urllib.parse import urlsplit, urlunsplit

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection

from bench.faults import MAIL_DIR_VARIABLE, RedisServer, TcpProxy
from newsroom.celery import app as celery_app
from outbox import services as outbox_services
from tests.conftest import database_url, skip_or_fail, start_worker, stop_worker


def _point_broker_at(url: str) -> None:
    celery_app.conf.broker_url = url
    # Celery keeps its connection and producer pools for the URL it first
    # used, and kombu its pooled connections (dead ones after a restart of the
    # server, on which the control pings fail): drop them all, as a forked
    # child does.
    kombu.pools.reset()
    celery_app._after_fork()


@pytest.fixture
def redis_server(django_db_setup):
    """Our own redis-server, the test process's broker meanwhile."""
    if connection.vendor != "postgresql":
        skip_or_fail("the worker needs the PostgreSQL test database (set DATABASE_URL)")
    if shutil.which("redis-server") is None:
        skip_or_fail("these tests start their own redis-server: install redis")
    server = RedisServer()
    server.start()
    before = celery_app.conf.broker_url
    _point_broker_at(server.url(0))
    celery_app.conf.task_always_eager = False
    yield server
    celery_app.conf.task_always_eager = True
    _point_broker_at(before)
    server.stop()
    # A refused send pauses this process's sends for a while: not the next test's.
    outbox_services._broker_paused_until = 0.0


@pytest.fixture
def broker_proxy(redis_server):
    """Our redis-server reached through a proxy, to stall it."""
    proxy = TcpProxy(redis_server.port)
    _point_broker_at(f"redis://127.0.0.1:{proxy.port}/0")
    yield proxy
    proxy.close()


@pytest.fixture
def own_cache(settings, redis_server):
    """The page and data cache in our redis-server too, so its outage is felt."""
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": redis_server.url(1),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def pg_proxy(django_db_setup):
    """A proxy in front of PostgreSQL, to cut the workers' database."""
    db = settings.DATABASES["default"]
    proxy = TcpProxy(int(db["PORT"] or 5432), db["HOST"] or "127.0.0.1")
    yield proxy
    proxy.close()


def proxied_database_url(proxy: TcpProxy) -> str:
    parts = urlsplit(database_url())
    credentials = parts.netloc.rpartition("@")[0]
    return urlunsplit(parts._replace(netloc=f"{credentials}@127.0.0.1:{proxy.port}"))


@pytest.fixture
def chaos_worker(redis_server, tmp_path):
    """Start workers on our redis-server; all are killed at the end.

    ``chaos_worker(beat=True, database=proxy, **env)``; emails they send are
    kept in ``chaos_worker.mail_dir``.
    """
    started = []
    queue = f"chaos-{redis_server.port}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    def start(*, beat=False, concurrency=2, database: TcpProxy | None = None, **env):
        env = {
            "REDIS_URL": redis_server.url(0),
            "CELERY_BROKER_URL": redis_server.url(0),
            "CACHE_REDIS_URL": redis_server.url(1),
            "EMAIL_BACKEND": "bench.faults.MailDirBackend",
            MAIL_DIR_VARIABLE: str(mail_dir),
            **env,
        }
        if database is not None:
            env["DATABASE_URL"] = proxied_database_url(database)
        # Pooled broker connections may be from before a restart of the server:
        # the pings that wait for the worker start on fresh ones.
        _point_broker_at(redis_server.url(0))
        process = start_worker(queue, beat=beat, concurrency=concurrency, **env)
        started.append(process)
        return process

    celery_app.conf.task_default_queue = queue
    start.queue, start.mail_dir = queue, mail_dir
    yield start
    for process in started:
        stop_worker(process, kill=True)
