"""The writing surface in a real browser: a story written by keyboard alone, its
claims appearing beside the text without a reload, zero axe-core violations,
and the page's layout at a laptop's and a tablet's size."""

import re

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from desk.demo_loader import DEMO_PASSWORD, load_demo
from factcheck import services as factcheck_services
from factcheck.models import Claim, Source
from tests.browser.conftest import axe_violations, expect

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 1024, "height": 768}
BODY = (
    "South Korea's Joint Chiefs of Staff said it detected two launches on Sunday.\n"
    "\n"
    "Japanese Defense Minister Shinjiro Koizumi said the missiles fell outside "
    "Japan's waters.\n"
    "\n"
    '"We are watching closely," said Leif-Eric Easley, a professor at Ewha '
    "University.\n"
    "\n"
    "KCNA reported that leader Kim Jong Un oversaw the test."
)


@pytest.fixture
def newsroom(live_server):
    """The demo newsroom: accounts, sections, sources and the seed story."""
    load_demo()
    return Article.objects.get()


def sign_in(new_context, username: str, **options):
    page = new_context(**options).new_page()
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def tab_to(page, target, *, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus: it is reachable by keyboard."""
    for _ in range(limit):
        if target.evaluate("(element) => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{target} is not reachable with the Tab key")


@pytest.fixture
def proposals_on_hold(monkeypatch):
    """Claim proposals wait until the test lets them run, in-process, so the
    page is seen to change on its own after the save."""
    held = []
    monkeypatch.setattr(
        factcheck_services,
        "claims_propose",
        lambda *, article_id: held.append(article_id) or {},
    )
    return held


def test_an_editor_writes_a_story_by_keyboard_and_sees_its_claims_appear(
    new_context, newsroom, proposals_on_hold, monkeypatch
):
    page = sign_in(new_context, "editor", viewport=LAPTOP)
    page.goto("/admin/articles/article/add/")
    headline = page.get_by_label("Headline")
    expect(headline).to_be_focused()  # the admin focuses the first field
    page.keyboard.type("Two missiles fall short of Japan")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Standfirst")).to_be_focused()
    page.keyboard.type("Four voices on Sunday's launches.")
    page.keyboard.press("Tab")
    body = page.get_by_label("Body")
    expect(body).to_be_focused()
    page.keyboard.insert_text(BODY)
    tab_to(page, page.get_by_label("Section:"))
    page.keyboard.type("Politics")
    first_byline = page.get_by_label("Byline 1", exact=True)
    expect(first_byline).to_have_value("Elena Editor (editor)")  # who starts it
    tab_to(page, first_byline)
    page.keyboard.press("Control+a")
    page.keyboard.type("Ravi Reporter (reporter)")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Byline 2", exact=True)).to_be_focused()
    page.keyboard.type("Elena Editor (editor)")
    page.keyboard.press("Control+s")

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(headline="Two missiles fall short of Japan")
    panel = page.locator("#claims-panel")
    expect(panel).to_contain_text("Proposing claims for the latest text")
    page.evaluate("window.stillTheSamePage = true")

    monkeypatch.undo()  # the proposal runs now, as the in-process task would
    factcheck_services.claims_propose(article_id=article.pk)
    expect(panel.locator("li[data-claim]")).to_have_count(4, timeout=10_000)
    assert page.evaluate("window.stillTheSamePage") is True  # no reload
    expect(panel).to_contain_text("Leif-Eric Easley")
    expect(panel).to_contain_text("Proposed")

    # Fix the speaker of the third claim: next claim, Tab to "Fix", the dialog.
    for _ in range(3):
        page.keyboard.press("Alt+n")
    third = panel.locator("li[data-claim]").nth(2)
    expect(third).to_be_focused()
    page.keyboard.press("Tab")
    expect(third.get_by_role("link", name=re.compile("^Fix"))).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Fix a claim")
    expect(dialog).to_be_visible()
    speaker = dialog.get_by_label("Speaker")
    tab_to(page, speaker)
    page.keyboard.type("Lee Jae")
    chosen = "Lee Jae Myung"
    expect(speaker.locator("option:checked")).to_have_text(chosen)
    tab_to(page, dialog.get_by_role("button", name="Save claim"))
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(third).to_contain_text(chosen)
    claim = article.claims.order_by("start")[2]
    assert claim.speaker.name == chosen and claim.origin == Claim.Origin.ACCEPTED

    page.keyboard.press("Control+s")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    submit = page.get_by_role("button", name="Submit for fact-check")
    tab_to(page, submit)
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Done: Submit for fact-check.")
    article.refresh_from_db()
    assert article.status == Article.Status.SUBMITTED
    # The bylines in the order typed, not in username order.
    assert [b.user.username for b in article.bylines.all()] == ["reporter", "editor"]


def test_the_add_change_and_claim_pages_have_no_accessibility_violations(
    new_context, newsroom, axe_source, screenshot_dir
):
    page = sign_in(new_context, "editor", viewport=LAPTOP)
    page.goto("/admin/articles/article/add/")
    page.screenshot(path=str(screenshot_dir / "editor-add-1366x768.png"))
    assert (v := axe_violations(page, axe_source)) == [], "\n".join(v)

    page.goto(f"/admin/articles/article/{newsroom.pk}/change/")
    expect(page.locator("#claims-panel li[data-claim]").first).to_be_visible()
    assert (v := axe_violations(page, axe_source)) == [], "\n".join(v)

    page.locator("#claims-panel a.claim-edit").first.click()
    expect(page.get_by_role("dialog", name="Fix a claim")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "editor-claim-dialog-1366x768.png"))
    assert (v := axe_violations(page, axe_source)) == [], "\n".join(v)

    claim = newsroom.claims.order_by("start").first()
    for url in (
        f"/admin/articles/article/{newsroom.pk}/claims/",
        f"/admin/articles/article/{newsroom.pk}/claims/{claim.pk}/",
        f"/desk/stories/{newsroom.pk}/",
        f"/desk/stories/{newsroom.pk}/do/request_changes/",
        f"/admin/articles/article/{newsroom.pk}/revisions/",
        f"/admin/articles/article/{newsroom.pk}/revisions/"
        f"{newsroom.current_revision_id}/restore/",
        "/admin/articles/article/",
    ):
        page.goto(url)
        assert (v := axe_violations(page, axe_source)) == [], f"{url}: {v}"

    # A reporter sees the submitted story read-only, its claims without "Fix".
    reporter = sign_in(new_context, "reporter", viewport=LAPTOP)
    reporter.goto(f"/admin/articles/article/{newsroom.pk}/change/")
    expect(reporter.locator("#claims-panel li[data-claim]").first).to_be_visible()
    expect(reporter.locator("#claims-panel a.claim-edit")).to_have_count(0)
    assert (v := axe_violations(reporter, axe_source)) == [], "\n".join(v)


@pytest.mark.parametrize("size", [LAPTOP, TABLET], ids=["1366x768", "1024x768"])
def test_the_editing_page_gives_the_text_most_of_the_width(
    new_context, newsroom, screenshot_dir, size
):
    page = sign_in(new_context, "editor", viewport=size)
    page.goto(f"/admin/articles/article/{newsroom.pk}/change/")
    expect(page.locator("#claims-panel li[data-claim]").first).to_be_visible()
    name = f"editor-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(screenshot_dir / name))

    body = page.get_by_label("Body").bounding_box()
    assert body["width"] > size["width"] * 0.55, body
    title = page.get_by_role("heading", level=1).bounding_box()
    for button in page.locator(".object-tools a").all():
        box = button.bounding_box()
        overlaps = not (
            box["x"] >= title["x"] + title["width"]
            or box["x"] + box["width"] <= title["x"]
            or box["y"] >= title["y"] + title["height"]
            or box["y"] + box["height"] <= title["y"]
        )
        assert not overlaps, f"{button.inner_text()} overlaps the title"
    # The details and the claims sit beside the body, not under it.
    side = page.locator(".editor-side").bounding_box()
    assert side["x"] >= body["x"] + body["width"]


def test_publishing_from_the_desk_asks_first_and_names_the_consequence(
    new_context, newsroom
):
    users = get_user_model().objects
    for claim in newsroom.claims.all():
        kinds = {s.kind for s in (claim.speaker, claim.channel) if s}
        factcheck_services.claim_review(
            claim_id=claim.pk,
            actor=users.get(username="factchecker"),
            attribution="confirmed",
            veracity="unverifiable" if Source.Kind.STATE_MEDIA in kinds else "accurate",
        )
    from desk import workflow

    workflow.article_transition(
        article_id=newsroom.pk, actor=users.get(username="editor"), name="approve"
    )
    page = sign_in(new_context, "publisher")
    page.goto(f"/desk/stories/{newsroom.pk}/")
    page.get_by_role("link", name="Publish now…").click()
    expect(page.locator(".confirm-consequence")).to_contain_text(
        "Readers see the story now"
    )
    newsroom.refresh_from_db()
    assert newsroom.status == Article.Status.APPROVED  # nothing happened yet
    page.get_by_role("button", name="Yes, publish now").click()
    expect(page.locator(".messages")).to_contain_text("Done: Publish now.")
    newsroom.refresh_from_db()
    assert newsroom.status == Article.Status.PUBLISHED
