"""Personas, service detection and a real Celery worker for the suite.

Tests marked ``postgres`` need PostgreSQL and tests using ``celery_worker``
need Redis and PostgreSQL; without them they are skipped, and with
``REQUIRE_SERVICES=1`` (CI) they fail instead.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from newsroom.celery import app as celery_app
from tests.factories import UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
PROJECT_DIR = Path(__file__).resolve().parent.parent


def skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("this test needs PostgreSQL (set DATABASE_URL)")


def allow_test_flush() -> None:
    """Let Django's ``flush`` empty the audit log of the test database.

    pytest-django runs a ``transaction=True`` test as Django's
    ``TransactionTestCase``, whose teardown empties every table with the
    ``flush`` command, a ``TRUNCATE`` on PostgreSQL: the audit log's
    ``audit_entry_no_truncate`` trigger refuses it (as it should in production).
    The test database's copy of that one trigger is disabled; the tests of
    the trigger enable it again inside their own transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_truncate"
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        allow_test_flush()
    yield


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks run in-process unless a test asks for the real worker."""
    celery_app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    # The local-memory cache outlives a test; cached pages must not leak into the next.
    cache.clear()


@pytest.fixture(autouse=True)
def _no_evidence_link_checks(settings):
    # Evidence in tests points at example.org: a test must never go online.
    # The link check's own tests turn this back on against a local server.
    settings.EVIDENCE_LINK_CHECKS = False


@pytest.fixture(autouse=True)
def _two_factor_optional(settings):
    # Personas sign in with force_login (no second factor); the two-factor
    # tests turn the requirement on themselves.
    settings.TWO_FACTOR_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Hashed static names need collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded pictures and renditions of a test go to its own directory.
    settings.MEDIA_ROOT = tmp_path / "media"


def database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def _require_worker_services() -> None:
    if not settings.REDIS_URL:
        skip_or_fail("this test needs Redis and a Celery worker (set REDIS_URL)")
    if connection.vendor != "postgresql":
        skip_or_fail("the worker needs the PostgreSQL test database (set DATABASE_URL)")


def start_worker(queue: str, *, concurrency: int = 2, beat: bool = False, **env):
    """Start ``celery worker`` (optionally with ``--beat``) on ``queue`` against the
    test database, in its own process group so a test can kill all of it."""
    name = f"{queue}-{uuid.uuid4().hex[:4]}@localhost"
    environ = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "1",
        "CELERY_BROKER_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        **env,
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "newsroom",
        "worker",
        "-Q",
        queue,
        "-n",
        name,
        "-c",
        str(concurrency),
        "--without-gossip",
        "--without-mingle",
        "-l",
        "warning",
    ]
    if beat:
        command += ["--beat", "-s", str(PROJECT_DIR / "var" / f"beat-{queue}")]
        (PROJECT_DIR / "var").mkdir(exist_ok=True)
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=environ, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[name], timeout=1):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_worker(process)
            pytest.fail("the Celery worker did not start")
    return process


def stop_worker(process, *, kill: bool = False) -> None:
    """Stop the worker and its pool; ``kill`` is a crash (SIGKILL, no clean-up)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        process.wait(timeout=60)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real worker on its own queue, shared by the tests of a session."""
    _require_worker_services()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = start_worker(queue)
    yield {"process": process, "queue": queue}
    stop_worker(process)


@pytest.fixture
def celery_worker(celery_worker_process):
    """Send tasks to the real worker for the duration of one test."""
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = celery_worker_process["queue"]
    yield celery_worker_process
    celery_app.conf.task_always_eager = True


@pytest.fixture
def broker_queue(django_db_setup):
    """A fresh queue, tasks sent through Redis; the test starts its own workers."""
    _require_worker_services()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_always_eager = True


def active_tasks() -> int:
    """Tasks the running workers are executing right now."""
    replies = celery_app.control.inspect(timeout=0.5).active() or {}
    return sum(len(tasks) for tasks in replies.values())


def tasks_finished(name: str) -> int:
    """How many ``name`` tasks the running workers have taken and finished."""
    inspect = celery_app.control.inspect(timeout=0.5)
    busy = (inspect.active() or {}).values(), (inspect.reserved() or {}).values()
    if any(tasks for replies in busy for tasks in replies):
        return 0  # some still running or queued in a worker: not a settled count
    stats = inspect.stats() or {}
    return sum(worker["total"].get(name, 0) for worker in stats.values())


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2):
    """Poll until ``predicate()`` is truthy; return its value or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")


@pytest.fixture
def reporter(db):
    return UserFactory(username="reporter", role="reporter")


@pytest.fixture
def other_reporter(db):
    return UserFactory(username="reporter2", role="reporter")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role="editor")


@pytest.fixture
def factchecker(db):
    return UserFactory(username="factchecker", role="fact-checker")


@pytest.fixture
def publisher(db):
    return UserFactory(username="publisher", role="publisher")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader", is_staff=False)
