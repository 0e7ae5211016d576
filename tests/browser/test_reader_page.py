"""The public article page in a real browser: markers, entries, no-JS, screenshots."""

import re

import pytest

from articles.models import Article
from tests.browser.conftest import DESKTOP, PHONE, TABLET, expect

pytestmark = pytest.mark.browser

KCNA = "Korean Central News Agency (KCNA)"
# Chromium reports CSP violations on the console too; this makes them explicit.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def story(published_story) -> Article:
    return published_story


def claim_numbers(article: Article, source_name: str) -> list[int]:
    """Reader-facing numbers (1, 2, …) of the claims said by or through a source."""
    claims = article.claims.select_related("speaker", "channel").order_by("start")
    return [
        number
        for number, claim in enumerate(claims, start=1)
        if source_name in {s.name for s in (claim.speaker, claim.channel) if s}
    ]


def _is_favicon(url: str) -> bool:
    # Browsers ask for /favicon.ico on their own; the site has none (yet).
    return url.endswith("/favicon.ico")


def watch_console(page) -> list[str]:
    """Collect console errors, uncaught exceptions, CSP violations and failed loads."""
    problems = []

    def on_console(message):
        if message.type == "error" and not _is_favicon(message.location["url"]):
            problems.append(message.text)

    def on_response(response):
        if response.status >= 400 and not _is_favicon(response.url):
            problems.append(f"{response.status} {response.url}")

    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", on_response)
    return problems


def test_the_article_page_shows_the_story_and_how_we_know_each_claim(page, story):
    problems = watch_console(page)
    page.goto(story.get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_have_text(story.headline)
    expect(page.locator(".article-body")).to_contain_text("Joint Chiefs of Staff")
    expect(page.get_by_role("heading", name="How we know this")).to_be_visible()
    claims = story.claims.count()
    markers = page.locator("span.claim-marker a")
    expect(markers).to_have_count(claims)
    expect(page.locator("li.claim-entry")).to_have_count(claims)
    dangling = markers.evaluate_all(
        "links => links.filter((link) => !document.querySelector("
        "`li.claim-entry${link.hash}`)).map((link) => link.hash)"
    )
    assert dangling == []
    assert problems == []


def test_a_claim_marker_leads_to_its_entry_and_back(page, story):
    problems = watch_console(page)
    number = claim_numbers(story, KCNA)[0]
    page.goto(story.get_absolute_url())
    entry = page.locator(f"#claim-{number}")
    expect(entry).not_to_be_in_viewport()

    page.locator(f"#claim-ref-{number}").click()

    expect(page).to_have_url(re.compile(rf"#claim-{number}$"))
    expect(entry).to_be_in_viewport()
    expect(entry).to_contain_text("state media")
    expect(entry).to_contain_text("Unverifiable")
    entry.get_by_role("link", name=f"Back to claim {number} in the story").click()
    expect(page).to_have_url(re.compile(rf"#claim-ref-{number}$"))
    expect(page.locator(f"#claim-ref-{number}")).to_be_in_viewport()
    assert problems == []


def test_the_article_page_works_with_javascript_off(new_context, story):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(story.get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_have_text(story.headline)
    expect(page.locator(".article-body")).to_contain_text("Koizumi told reporters")
    expect(page.locator("li.claim-entry")).to_have_count(story.claims.count())
    page.locator("#claim-ref-1").click()
    expect(page).to_have_url(re.compile(r"#claim-1$"))
    expect(page.locator("#claim-1")).to_be_in_viewport()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("name", "device"),
    [
        ("desktop", {"viewport": DESKTOP}),
        ("tablet", {"viewport": TABLET, "has_touch": True}),
        ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True}),
    ],
)
def test_screenshots_of_the_article_page_are_written(
    new_context, story, screenshot_dir, name, device, scheme
):
    page = new_context(**device, color_scheme=scheme).new_page()
    problems = watch_console(page)
    page.goto(story.get_absolute_url())
    expect(page.get_by_role("heading", name="How we know this")).to_be_visible()
    page.evaluate("document.fonts.ready")

    path = screenshot_dir / f"article-{name}-{scheme}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=path, full_page=True)

    assert path.stat().st_size > 50_000  # a whole long page, not a blank one
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0, f"the page scrolls sideways by {overflow}px at {name} width"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(22, 21, 19)") == (scheme == "dark")
    assert problems == []


def test_the_printed_page_has_the_story_and_every_entry_open(page, story):
    page.goto(story.get_absolute_url())
    entry = page.locator("#claim-1 .entry-body")
    expect(entry).to_be_hidden()  # folded on screen

    page.emulate_media(media="print")

    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".site-search")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(story.headline)
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("Matches the statement.")
