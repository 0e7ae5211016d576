"""Reading configuration from environment variables.

Kept apart from ``settings.py`` so the parsing rules can be tested without
re-importing the settings module.
"""

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but a known spelling is an error."""
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0/true/false/yes/no, not {raw!r}"
    )


def env_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}"
        ) from None


def env_list(environ: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_config(
    url: str | None,
    *,
    base_dir: Path,
    pool: bool,
    timeouts: Mapping[str, int] | None = None,
) -> dict:
    """Turn ``DATABASE_URL`` into a Django ``DATABASES['default']`` entry.

    ``None`` or empty gives the local SQLite file. PostgreSQL gets psycopg's
    connection pool when ``pool`` is true, else persistent connections, and
    ``timeouts`` (``connect`` in seconds, ``lock`` and ``statement`` in
    milliseconds, 0 for none) unless the URL's query sets them itself.
    """
    if not url:
        return _sqlite(base_dir / "db.sqlite3")
    parts = urlsplit(url)
    engine = _ENGINES.get(parts.scheme)
    if engine is None:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {parts.scheme!r} is not supported; "
            "use postgres://user:password@host:port/name or sqlite:///path"
        )
    if engine == _ENGINES["sqlite"]:
        # sqlite:///relative.db and sqlite:////absolute.db, as dj-database-url does.
        path = unquote(parts.path[1:]) if parts.path.startswith("/") else parts.path
        return _sqlite(path or base_dir / "db.sqlite3")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(
            "DATABASE_URL must name the database, e.g. /newsroom"
        )
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    timeouts = timeouts or {}
    if timeouts.get("connect"):
        options.setdefault("connect_timeout", str(timeouts["connect"]))
    # A held row lock or a runaway query must end in an error we can answer
    # (``newsroom.middleware``), not in a worker stuck until it is killed.
    limits = [
        f"-c {name}={timeouts[key]}"
        for key, name in (("lock", "lock_timeout"), ("statement", "statement_timeout"))
        if timeouts.get(key)
    ]
    if limits and "options" not in options:
        options["options"] = " ".join(limits)
    config = {
        "ENGINE": engine,
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_HEALTH_CHECKS": True,
    }
    if pool:
        options["pool"] = {"min_size": 1, "max_size": 10, "timeout": 10}
        config["CONN_MAX_AGE"] = 0  # Django refuses persistent connections with a pool.
    else:
        config["CONN_MAX_AGE"] = 60
    return config


def _sqlite(name) -> dict:
    # IMMEDIATE takes the write lock when a transaction starts, so two saves
    # are serialised instead of one failing midway with "database is locked".
    return {
        "ENGINE": _ENGINES["sqlite"],
        "NAME": name,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


def next_redis_database(url: str) -> str:
    """``url`` with the next Redis database number (redis://h:6379/0 -> /1):
    the cache's own database beside the broker's. "" stays ""."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    try:
        number = int(path or 0)
    except ValueError:
        raise ImproperlyConfigured(
            f"REDIS_URL must end with a database number, not {path!r}"
        ) from None
    return parts._replace(path=f"/{number + 1}").geturl()
