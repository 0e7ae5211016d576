"""Profile one reader page in-process against the benchmark database.

Run after ``make bench`` (which leaves ``newsroom_bench`` behind), from the
project root: ``.venv/bin/python bench/profile_page.py /search/?q=missile``.
It prints the page's SQL queries (count, time, the slowest), the mean time of
a request through Django's test client with the page cache off, then, from a
cProfile run over ``--requests`` requests, the CPU time by library and the top
functions. Nothing is written but an article's stored story render; with
``STORY_RENDER_MAX_AGE=0`` in the environment an article page builds its story
on every request instead.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

# The bench's production-like settings, minus gunicorn and Redis: the cache is
# off, so the in-memory cache backend changes nothing for the page.
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    "DEBUG": "0",
    "SECRET_KEY": "profile-only-never-served",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/newsroom_bench",
    "PAGE_CACHE_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def setup() -> None:
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def show_queries(client, path: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in queries)
    print(f"{path}: {len(queries)} queries, {total * 1000:.1f} ms in the database")
    for query in queries[:5]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")


def mean_ms(client, path: str, requests: int) -> float:
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    return (time.perf_counter() - started) * 1000 / requests


def _area(filename: str) -> str:
    """Group a profiled function by library and sub-package (``django/db``)."""
    if filename.startswith(("~", "<")):
        return "builtins"
    path = Path(filename)
    parts = path.parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1 :][:2])
    root = Path(__file__).resolve().parent.parent
    if path.is_relative_to(root):
        return "/".join(path.relative_to(root).parts[:1]) + " (project)"
    return "stdlib"


def time_by_area(stats: pstats.Stats, top: int) -> None:
    """Own time (not cumulative) summed by area: where the CPU actually goes."""
    areas: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():
        areas[_area(filename)] = areas.get(_area(filename), 0.0) + own
    total = sum(areas.values())
    print("own time by area:")
    for area, own in sorted(areas.items(), key=lambda item: -item[1])[:top]:
        print(f"  {own / total:6.1%}  {area}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="e.g. / or /search/?q=missile")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(args.path)  # Warm-up: imports, template loading, connection.
    show_queries(client, args.path)
    print(f"mean per request: {mean_ms(client, args.path, args.requests):.1f} ms")
    profile = cProfile.Profile()
    profile.runcall(mean_ms, client, args.path, args.requests)
    stats = pstats.Stats(profile)
    time_by_area(stats, args.top)
    stats.strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
