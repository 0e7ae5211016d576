"""Every reader page through axe-core (WCAG 2.2 AA and best practices), light and
dark, and the reading measure of the article page."""

import pytest
from django.urls import reverse

from factcheck.models import Source
from tests.browser.conftest import DESKTOP, axe_violations, expect

pytestmark = pytest.mark.browser

READER_PAGES = [
    "home",
    "section",
    "article",
    "source",
    "search",
    "corrections",
    "methodology",
    "tag",
]


def page_address(name: str, story) -> str:
    kcna = Source.objects.get(name="Korean Central News Agency (KCNA)")
    return {
        "home": reverse("reader:home"),
        "section": reverse("reader:section", args=[story.section.slug]),
        "article": story.get_absolute_url(),
        "source": reverse("reader:source", kwargs={"pk": kcna.pk}),
        "search": reverse("reader:search") + "?q=missiles",
        "corrections": reverse("reader:corrections"),
        "methodology": reverse("reader:methodology"),
        "tag": reverse("reader:tag", args=[story.tags.get().slug]),
    }[name]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", READER_PAGES)
def test_reader_pages_have_no_axe_violations(
    new_context, published_story, axe_source, name, scheme
):
    # The site's CSP allows no inline script: bypass it so axe can run.
    page = new_context(bypass_csp=True, color_scheme=scheme).new_page()
    response = page.goto(page_address(name, published_story))
    assert response.status == 200
    page.evaluate("document.fonts.ready")

    assert (violations := axe_violations(page, axe_source)) == [], violations


def test_an_open_entry_and_a_shown_popover_have_no_axe_violations(
    new_context, published_story, axe_source
):
    page = new_context(bypass_csp=True).new_page()
    page.goto(published_story.get_absolute_url())
    page.locator("#claim-ref-23").focus()
    expect(page.locator("#claim-ref-23 .claim-tip")).to_contain_text("KCNA")
    page.locator(".claim-entry summary").first.click()

    assert (violations := axe_violations(page, axe_source)) == [], violations


MEASURE = """() => {
  const lines = [...document.querySelectorAll(".article-body p")].map((p) => {
    const text = p.cloneNode(true);
    text.querySelectorAll(".claim-marker").forEach((marker) => marker.remove());
    const lineHeight = parseFloat(getComputedStyle(p).lineHeight);
    return [text.textContent.trim().length, Math.round(p.clientHeight / lineHeight)];
  }).filter(([, count]) => count >= 3);
  // The last line of a paragraph is short: count it as half a line.
  const characters = lines.reduce((sum, [length]) => sum + length, 0);
  const full = lines.reduce((sum, [, count]) => sum + count - 0.5, 0);
  return characters / full;
}"""


def test_the_article_body_is_set_at_a_reading_measure(new_context, published_story):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(published_story.get_absolute_url())
    page.evaluate("document.fonts.ready")

    assert 60 <= page.evaluate(MEASURE) <= 75
    line_height = page.evaluate(
        "(() => { const p = document.querySelector('.article-body p');"
        " const style = getComputedStyle(p);"
        " return parseFloat(style.lineHeight) / parseFloat(style.fontSize); })()"
    )
    assert 1.5 <= line_height <= 1.7
