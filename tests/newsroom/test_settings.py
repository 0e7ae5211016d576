import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.environment import database_config, env_bool, env_list

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_no_database_url_means_a_sqlite_file_in_the_project(tmp_path):
    config = database_config(None, base_dir=tmp_path, pool=False)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "db.sqlite3"


def test_postgres_url_is_split_into_django_settings(tmp_path):
    config = database_config(
        "postgres://news:s%40cret@db.internal:6543/newsroom?sslmode=require",
        base_dir=tmp_path,
        pool=False,
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == (
        "newsroom",
        "news",
        "s@cret",
    )
    assert (config["HOST"], config["PORT"]) == ("db.internal", "6543")
    assert config["OPTIONS"] == {"sslmode": "require"}
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True


def test_postgres_pool_replaces_persistent_connections(tmp_path):
    config = database_config(
        "postgresql://postgres@127.0.0.1/newsroom", base_dir=tmp_path, pool=True
    )
    assert config["OPTIONS"]["pool"]["max_size"] >= 1
    assert config["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgres://user@host:5432/"])
def test_unsupported_or_incomplete_database_url_is_a_clear_error(url, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_config(url, base_dir=tmp_path, pool=False)


def test_env_bool_rejects_unknown_spellings():
    assert env_bool({"DEBUG": "off"}, "DEBUG", True) is False
    assert env_bool({}, "DEBUG", True) is True
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool({"DEBUG": "maybe"}, "DEBUG", True)


def test_env_list_drops_blank_items():
    assert env_list({"ALLOWED_HOSTS": "a.org, ,b.org"}, "ALLOWED_HOSTS", []) == [
        "a.org",
        "b.org",
    ]


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_secret_key_refuses_to_start():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "x8Z!q" * 10,
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
