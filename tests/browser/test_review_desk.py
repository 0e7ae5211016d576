"""The review desk in a real browser: one story from fact-check to publication."""

import re

import pytest
from django.db.models import Q

from articles.models import Article
from desk.demo_loader import DEMO_PASSWORD, load_demo
from factcheck.models import Claim, Evidence
from tests.browser.conftest import expect

pytestmark = pytest.mark.browser

KCNA = "Korean Central News Agency (KCNA)"


@pytest.fixture
def story(live_server) -> Article:
    """The demo newsroom: the seed story submitted, its claims proposed."""
    load_demo()
    return Article.objects.get()


def sign_in(new_context, username: str):
    """A fresh browser session signed in through the admin's login form."""
    page = new_context().new_page()
    page.goto("/admin/login/?next=/desk/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(re.compile(r"/desk/$"))
    return page


def record_decision(page, *, with_evidence: bool) -> None:
    """Fill the decision form the way the desk's own guidance says."""
    # The source card tells the fact-checker when a claim comes from state media.
    state_media = page.get_by_text("State media:").count() > 0
    page.get_by_label("Confirmed: the source did say this").check()
    page.get_by_label("Unverifiable" if state_media else "Accurate", exact=True).check()
    if with_evidence:
        page.get_by_label("Public explanation").fill("The JCS statement says so.")
        page.get_by_label("Evidence title").fill("JCS statement, 4 January 2026")
        url = page.get_by_label("Evidence url")
        url.fill("https://www.jcs.mil.kr/statement")
        url.press("Enter")  # implicit submission, as a keyboard user would
    else:
        page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text("Decision recorded.")


def fact_check_every_claim(page, story: Article) -> None:
    """Open each claim listed on the story page and record a decision on it."""
    page.goto(f"/desk/stories/{story.pk}/")
    claim_urls = page.locator(
        "section[aria-labelledby=claims-heading] tbody a"
    ).evaluate_all("links => links.map((link) => link.href)")
    assert len(claim_urls) == story.claims.count() > 0
    for number, url in enumerate(claim_urls):
        page.goto(url)
        record_decision(page, with_evidence=number == 0)
    page.get_by_role("link", name=f"← {story.headline}").click()
    expect(page.get_by_role("status")).to_have_text(
        "Every claim is reviewed; none is misattributed or false."
    )


def take_action(page, story: Article, label: str, status: str) -> None:
    page.goto(f"/desk/stories/{story.pk}/")
    confirm_first = page.get_by_role("link", name=f"{label}…", exact=True)
    if confirm_first.count():  # a consequential action asks first
        confirm_first.click()
        page.get_by_role("button", name=f"Yes, {label.lower()}").click()
    else:
        page.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"Done: {label}.")
    expect(page.locator("main")).to_contain_text(f"Status: {status}")


def test_a_story_goes_from_fact_check_through_approval_to_publication(
    new_context, story
):
    checker = sign_in(new_context, "factchecker")
    fact_check_every_claim(checker, story)
    take_action(sign_in(new_context, "editor"), story, "Approve", "Approved")
    publisher = sign_in(new_context, "publisher")
    take_action(publisher, story, "Publish now", "Published")

    timeline = publisher.locator("ol.timeline > li")
    expect(timeline.filter(has_text="submitted → approved")).to_contain_text(
        "editor · Workflow transition"
    )
    expect(timeline.filter(has_text="approved → published")).to_contain_text(
        "publisher · Publication"
    )
    public_url = publisher.get_by_role("link", name="Public page").get_attribute("href")

    reader = new_context().new_page()
    reader.goto(public_url)
    expect(reader.get_by_role("heading", level=1)).to_have_text(story.headline)
    expect(reader.get_by_role("heading", name="How we know this")).to_be_visible()
    # Entries are folded to one line: the reader opens the one with the evidence.
    evidence = reader.get_by_text("JCS statement, 4 January 2026")
    reader.locator("li.claim-entry", has=evidence).locator("summary").click()
    expect(evidence).to_be_visible()

    claims = Claim.objects.filter(article=story)
    assert not claims.exclude(review=Claim.Review.REVIEWED).exists()
    kcna = claims.filter(Q(speaker__name=KCNA) | Q(channel__name=KCNA))
    assert kcna.exists()
    assert set(kcna.values_list("veracity", flat=True)) == {"unverifiable"}
    assert Evidence.objects.filter(claim__article=story, public=True).count() == 1


def test_a_reporter_sees_no_decision_form_on_a_claim_page(new_context, story):
    page = sign_in(new_context, "reporter")
    page.goto(f"/desk/stories/{story.pk}/")
    page.locator("section[aria-labelledby=claims-heading] tbody a").first.click()

    expect(page.get_by_role("heading", name=re.compile(r"^Claim \("))).to_be_visible()
    expect(page.get_by_role("button", name="Record decision")).to_have_count(0)
    expect(page.get_by_role("radio")).to_have_count(0)
