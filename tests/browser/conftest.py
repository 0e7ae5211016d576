"""Playwright driving Debian's Chromium against pytest-django's live server.

Playwright's own browser download needs the open internet, so the tests use
Debian's ``chromium`` package. The session installs it with apt-get when it is
missing and it can (root, apt available); otherwise the browser tests skip,
and with ``REQUIRE_SERVICES=1`` (CI) they fail instead.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, Tag
from desk import workflow
from desk.demo_loader import load_demo
from factcheck.models import Source
from factcheck.services import claim_review
from tests.conftest import PROJECT_DIR, skip_or_fail

try:
    from playwright.sync_api import Error, expect, sync_playwright
except ImportError:  # No test extra: the ``browser`` fixture skips or fails.
    Error = expect = sync_playwright = None

__all__ = ["DESKTOP", "PHONE", "TABLET", "axe_violations", "expect"]

CHROMIUM = Path("/usr/bin/chromium")
# Liberation fonts are only recommended by the chromium package, but without
# them pages render in whatever font is left and the screenshots say little.
APT_PACKAGES = ["chromium", "fonts-liberation"]
# Without the background-networking flags Chromium waits on Google services
# that a closed network never answers.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 5_000
SCREENSHOT_DIR = PROJECT_DIR / "var" / "screenshots"
# axe-core and Lighthouse come from npm into an ignored directory, never a
# downloaded browser: Lighthouse drives the same Debian Chromium (CHROME_PATH).
# Lighthouse 13 needs Node 22; Debian's Node 20 runs 12.
NPM_DIR = PROJECT_DIR / "var" / "npm"
NPM_PACKAGES = {"lighthouse": "12.2.3", "axe-core": "4.10.3"}


def _install_chromium() -> str | None:
    """Install Debian's chromium; return why it could not be, or None."""
    if os.geteuid() != 0:
        return f"{CHROMIUM} is missing and only root may install it (apt-get)"
    if not shutil.which("apt-get"):
        return f"{CHROMIUM} is missing and there is no apt-get to install it"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *APT_PACKAGES],
    ):
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=900
        )
        if result.returncode != 0:
            return f"`{' '.join(command)}` failed: {result.stderr.strip()[-500:]}"
    return None if CHROMIUM.exists() else f"apt-get installed no {CHROMIUM}"


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    if not CHROMIUM.exists() and (reason := _install_chromium()):
        skip_or_fail(f"the browser tests need Chromium: {reason}")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_executable):
    """One headless Chromium per test module.

    Playwright's sync API keeps an asyncio loop running in this thread for as
    long as it is started, and Django refuses ORM calls from a thread with a
    running loop (SynchronousOnlyOperation), which would break the tests' own
    set-up and pytest-django's database flush. Nothing here is concurrent: the
    loop only drives the browser, so the check is lifted while it runs, and
    only per module, so the rest of the suite keeps it.
    """
    if sync_playwright is None:
        skip_or_fail("the playwright package is missing (pip install -e '.[test]')")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(chromium_executable), args=CHROMIUM_ARGS
            )
        except Error as error:
            skip_or_fail(f"Chromium did not start: {error.message.splitlines()[0]}")
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Anonymous reader pages are cached whole; each test wants the page as the
    # database has it now, not a copy cached by an earlier test.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts (own cookies, own viewport) on the live server."""
    contexts = []

    def open_context(**options):
        options.setdefault("viewport", DESKTOP)
        # Bootstrap scrolls smoothly to #anchors unless the reader asks for less
        # motion; jumping at once keeps "is it in view" checks quick and exact.
        options.setdefault("reduced_motion", "reduce")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


def _npm_packages_installed(modules: Path) -> bool:
    for name, version in NPM_PACKAGES.items():
        manifest = modules / name / "package.json"
        pinned = f'"version": "{version}"'
        if not manifest.exists() or pinned not in manifest.read_text():
            return False
    return True


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """var/npm/node_modules with axe-core and Lighthouse, installed if missing."""
    modules = NPM_DIR / "node_modules"
    if _npm_packages_installed(modules):
        return modules
    npm = shutil.which("npm")
    if npm is None:
        skip_or_fail("axe-core and Lighthouse need npm (and Node 20 or later)")
    packages = [f"{name}@{version}" for name, version in NPM_PACKAGES.items()]
    command = [npm, "install", "--prefix", str(NPM_DIR), "--no-audit", "--no-fund"]
    result = subprocess.run(
        [*command, "--save-exact", *packages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0 or not _npm_packages_installed(modules):
        why = result.stderr[-500:]
        skip_or_fail(f"`npm install {' '.join(packages)}` failed: {why}")
    return modules


@pytest.fixture
def published_story(live_server) -> Article:
    """The demo story, every claim reviewed, approved and published, with a tag."""
    load_demo()
    users = get_user_model().objects
    article = Article.objects.get()
    for claim in article.claims.select_related("speaker", "channel"):
        kinds = {s.kind for s in (claim.speaker, claim.channel) if s}
        claim_review(
            claim_id=claim.pk,
            actor=users.get(username="factchecker"),
            attribution="confirmed",
            veracity="unverifiable" if Source.Kind.STATE_MEDIA in kinds else "accurate",
            public_explanation="Matches the statement.",
        )
    article.tags.add(Tag.objects.create(name="North Korea", slug="north-korea"))
    for username, name in (("editor", "approve"), ("publisher", "publish")):
        workflow.article_transition(
            article_id=article.pk, actor=users.get(username=username), name=name
        )
    article.refresh_from_db()
    return article


@pytest.fixture(scope="session")
def axe_source(node_modules) -> str:
    """axe-core's script, from the npm install above."""
    return (node_modules / "axe-core" / "axe.min.js").read_text()


def axe_violations(page, axe_source: str) -> list[str]:
    """Run axe-core on the page as it stands; one line per violation and node.

    Evaluated through the browser's debugging protocol, which the page's
    Content-Security-Policy does not govern (it allows no inline script)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    results = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then((r) => r.violations.map((v) => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map((n) => n.target.join(' '))})))"
    )
    return [
        f"{violation['id']} ({violation['help']}): {node}"
        for violation in results
        for node in violation["nodes"]
    ]
