"""``make chaos`` itself, shortened: one experiment with 3 s faults."""

import json
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import PROJECT_DIR, skip_or_fail

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def test_the_chaos_run_stops_redis_under_load_and_loses_nothing(tmp_path):
    for tool in ("redis-server", "createdb", "dropdb"):
        if shutil.which(tool) is None:
            skip_or_fail(f"make chaos needs {tool}")
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_chaos_run"
    server = ["-h", db["HOST"] or "127.0.0.1", "-U", db["USER"]]
    results = tmp_path / "results.json"
    run = subprocess.run(
        [
            sys.executable,
            "bench/chaos.py",
            "--smoke",
            "--only",
            "redis-stop",
            "--db",
            name,
            "--db-host",
            server[1],
            "--db-user",
            server[3],
            "--json",
            str(results),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    subprocess.run(["dropdb", "--if-exists", "--force", *server, name], check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    (row,) = json.loads(results.read_text())
    assert row["experiment"] == "redis-stop"
    assert row["lost"] == 0 and row["500s"] == 0
    assert row["desk done"] > 0 and row["jobs"] > 0 and row["emails"] > 0
    assert row["caught up"] is not None
