"""Lighthouse on the article page and the front page: at least 95 in every
category, no layout shift. A few minutes: run by ``make lighthouse`` and in CI
(``-m lighthouse``), left out of a plain ``pytest`` run.

Each page is measured three times and judged by its median run, as Lighthouse
advises: its performance score follows the host's CPU, and a shared machine
under load makes a single run swing by several points."""

import json
import subprocess

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, PROJECT_DIR, skip_or_fail

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REPORT_DIR = PROJECT_DIR / "var" / "lighthouse"
MINIMUM = 95
RUNS = 3


def lighthouse(node_modules, chromium, url: str, name: str) -> dict:
    """Run Lighthouse (its default: a phone on a throttled network) and return
    the report; the JSON and HTML reports stay in var/lighthouse."""
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    command = [
        "node",
        str(node_modules / "lighthouse" / "cli" / "index.js"),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        "--output=html",
        f"--output-path={REPORT_DIR / name}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        "--quiet",
    ]
    result = subprocess.run(
        command,
        env={"CHROME_PATH": str(chromium), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        skip_or_fail(f"Lighthouse did not run: {result.stderr[-1000:]}")
    return json.loads((REPORT_DIR / f"{name}.report.json").read_text())


def summarise(report: dict) -> dict:
    audits = report["audits"]
    return {
        **{c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cpu_benchmark": round(report["environment"]["benchmarkIndex"]),
        "failed": sorted(
            audit_id
            for audit_id, audit in audits.items()
            if audit["score"] is not None
            and audit["score"] < 0.9
            and audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
        ),
    }


def test_lighthouse_scores_the_article_and_front_pages_at_least_95(
    live_server, published_story, node_modules, chromium_executable, settings
):
    settings.SITE_URL = live_server.url  # canonical links point at the served site
    pages = {"article": published_story.get_absolute_url(), "home": "/"}
    measured = {}
    for name, path in pages.items():
        runs = sorted(
            (
                summarise(
                    lighthouse(
                        node_modules,
                        chromium_executable,
                        live_server.url + path,
                        f"{name}-{run}",
                    )
                )
                for run in range(1, RUNS + 1)
            ),
            key=lambda scores: scores["performance"],
        )
        measured[name] = {"median": runs[RUNS // 2], "runs": runs}
    (REPORT_DIR / "scores.json").write_text(json.dumps(measured, indent=2))
    print(json.dumps({name: m["median"] for name, m in measured.items()}, indent=2))
    for name, pages_runs in measured.items():
        assert pages_runs["median"]["performance"] >= MINIMUM, (name, pages_runs)
        for scores in pages_runs["runs"]:  # the rest must hold on every run
            for category in CATEGORIES[1:]:
                assert scores[category] >= MINIMUM, (name, category, scores)
            assert scores["cls"] == 0, (name, scores)
