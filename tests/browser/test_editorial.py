"""Autosave and merging on the admin's edit page, in a real browser.

Selectors use the form's stable field ids (``id_body``) and the editorial
panel's own elements, not the page's layout.
"""

import re

import pytest

from articles.models import Article, DraftBuffer
from desk.models import Notification
from desk.services import article_start
from tests.browser.conftest import expect
from tests.factories import UserFactory, article_content

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory
# No attributed sentence, so no claims: the stock admin's claim rows go stale
# when another save re-proposes claims (the claims panel replaces them).
BODY = (
    "A launch was detected at dawn.\n\n"
    "More tests are likely this year.\n\n"
    "Seoul protested the launch."
)


@pytest.fixture
def story(live_server) -> Article:
    reporter = UserFactory(username="reporter", role="reporter")
    UserFactory(username="editor", first_name="Kim", last_name="Lee", role="editor")
    UserFactory(username="editor2", first_name="Ana", last_name="Ruiz", role="editor")
    return article_start(actor=reporter, content=article_content(body=BODY))


def sign_in(context, username: str):
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def edit_page(page, story):
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    expect(page.locator("#id_body")).to_be_visible()
    return page


def save(page):
    """Submit the edit form as its save button does (whatever the layout)."""
    page.locator("#id_body").evaluate("body => body.form.requestSubmit()")


def saved(page):
    """The save landed: the admin says so (the list of stories, or the edit
    page again after "save and continue")."""
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()


def close_once_kept(page):
    """Close a page whose typing the server has kept: nothing is left to send
    while the test's database is emptied."""
    expect(page.locator("[data-autosave-status]")).to_contain_text(
        "Unsaved text kept at", timeout=10_000
    )
    page.close()


def test_a_tab_closed_mid_sentence_gives_the_words_back_on_reopening(
    new_context, story
):
    context = new_context()
    page = edit_page(sign_in(context, "editor"), story)
    page.locator("#id_body").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" More launches are expected, said the mid-sen")
    page.close()  # before or after the next autosave: the words must survive

    again = edit_page(context.new_page(), story)
    restore = again.get_by_role("button", name=re.compile("Restore unsaved text from"))
    expect(restore).to_be_visible()
    story.refresh_from_db()
    assert "mid-sen" not in story.body  # an autosave is never a revision
    restore.click()
    expect(again.locator("#id_body")).to_have_value(re.compile(r"said the mid-sen$"))
    expect(again.locator("[data-autosave-status]")).to_contain_text("restored")

    save(again)
    saved(again)
    story.refresh_from_db()
    assert story.body.endswith("said the mid-sen")
    assert not DraftBuffer.objects.filter(article=story).exists()


def test_typing_reaches_the_servers_buffer_and_offline_text_stays_local(
    new_context, story
):
    context = new_context()
    page = edit_page(sign_in(context, "editor"), story)
    page.locator("#id_body").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Kept on the server.")
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("Unsaved text kept at", timeout=10_000)
    draft = DraftBuffer.objects.get(article=story)
    assert draft.fields["body"].endswith("Kept on the server.")

    context.set_offline(True)
    page.keyboard.type(" Typed offline.")
    expect(status).to_contain_text("Offline: your text is kept in this browser")
    page.close()
    context.set_offline(False)
    again = edit_page(context.new_page(), story)
    again.get_by_role("button", name=re.compile("Restore unsaved text")).click()
    expect(again.locator("#id_body")).to_have_value(re.compile(r"Typed offline\.$"))
    close_once_kept(again)
    assert DraftBuffer.objects.get(article=story).fields["body"].endswith("offline.")


def both_edit(new_context, story, *, kims_body: str, anas_body: str):
    """Kim and Ana open the story; Kim saves first, then Ana; Ana's page."""
    kim = edit_page(sign_in(new_context(), "editor"), story)
    ana = edit_page(sign_in(new_context(), "editor2"), story)
    kim.locator("#id_body").fill(kims_body)
    save(kim)
    saved(kim)
    ana.locator("#id_body").fill(anas_body)
    save(ana)
    return ana


def test_two_people_editing_different_paragraphs_both_land_merged(new_context, story):
    ana = both_edit(
        new_context,
        story,
        kims_body=BODY.replace("A launch was", "Two launches were"),
        anas_body=BODY.replace("Seoul protested", "Tokyo protested"),
    )
    saved(ana)
    expect(
        ana.get_by_text("Merged with Kim Lee's changes to paragraph 1")
    ).to_be_visible()
    story.refresh_from_db()
    assert story.body == (
        "Two launches were detected at dawn.\n\n"
        "More tests are likely this year.\n\n"
        "Tokyo protested the launch."
    )


def test_two_people_editing_the_same_sentence_get_the_conflict_page(new_context, story):
    ana = both_edit(
        new_context,
        story,
        kims_body=BODY.replace("A launch was", "Three launches were"),
        anas_body=BODY.replace("A launch was", "Four launches were"),
    )
    conflict = ana.locator("[data-conflict]")
    expect(conflict).to_contain_text("Four launches were detected")  # hers
    expect(conflict).to_contain_text("Three launches were detected")  # Kim's
    ana.get_by_label("Keep both (mine first)").check()
    ana.get_by_role("button", name="Save with these choices").click()
    saved(ana)
    story.refresh_from_db()
    assert story.body.startswith(
        "Four launches were detected at dawn.\n\n"
        "Three launches were detected at dawn.\n\n"
    )


def test_a_comment_with_a_mention_is_posted_without_leaving_the_page(
    new_context, story
):
    page = edit_page(sign_in(new_context(), "editor"), story)
    page.locator("#id_headline").fill("Unsaved headline stays put")
    panel = page.locator("[data-comments]")
    panel.get_by_label("Paragraph").select_option("2")
    panel.get_by_label("Comment", exact=True).fill("@Ana Ruiz is this year right?")
    panel.get_by_role("button", name="Add comment").click()
    expect(page.locator("[data-comments] [role=status]")).to_have_text("Comment added.")
    thread = page.locator(".editorial-thread")
    expect(thread).to_contain_text("On paragraph 2: “More tests are likely")
    expect(page.locator("#id_headline")).to_have_value("Unsaved headline stays put")
    assert Notification.objects.get().recipient.username == "editor2"

    thread.get_by_role("button", name="Resolve").click()
    expect(page.locator(".editorial-thread")).to_contain_text("Resolved by Kim Lee")
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()
    close_once_kept(page)
