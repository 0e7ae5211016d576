"""``make chaos`` itself, shortened: one experiment with 3 s faults."""

import json
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import PROJECT_DIR, skip_or_fail

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    # The run works in the (empty, migrated) test database; the flush after
    # the test empties it again.
    pytest.mark.django_db(transaction=True),
]


def test_the_chaos_run_stops_redis_under_load_and_loses_nothing(tmp_path):
    if shutil.which("redis-server") is None:
        skip_or_fail("make chaos needs redis-server")
    db = settings.DATABASES["default"]
    results = tmp_path / "results.json"
    run = subprocess.run(
        [
            sys.executable,
            "bench/chaos.py",
            "--smoke",
            "--only",
            "redis-stop",
            "--empty-db",
            "--db",
            db["NAME"],
            "--db-host",
            db["HOST"] or "127.0.0.1",
            "--db-user",
            db["USER"],
            "--json",
            str(results),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    (row,) = json.loads(results.read_text())
    assert row["experiment"] == "redis-stop"
    assert row["lost"] == 0 and row["500s"] == 0
    assert row["desk done"] > 0 and row["jobs"] > 0 and row["emails"] > 0
    assert row["caught up"] is not None
