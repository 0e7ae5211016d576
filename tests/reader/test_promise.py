"""The promise: nothing false or unchecked reaches readers, and the desk never
dead-ends. Each test walks the path a newsroom takes, through the desk pages."""

import datetime
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article
from audit.models import AuditEntry
from desk.models import Notification
from desk.services import article_save
from factcheck.models import Claim, Source
from factcheck.selectors import claims_needing_correction
from tests.reader.conftest import publish_reviewed
from tests.reader.crawling import crawl
from tests.reader.test_article_page import get_page, json_ld

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


def act(client, who, article, name, **data):
    """Take a workflow action on the desk, as ``who``; the response."""
    client.force_login(user(who))
    return client.post(reverse("desk:story_transition", args=[article.pk, name]), data)


def decide(client, claim, *, veracity="accurate", attribution="confirmed", **extra):
    """Record a decision on the desk's claim page, as the demo fact-checker."""
    client.force_login(user("factchecker"))
    claim.refresh_from_db()
    response = client.post(
        reverse("desk:claim", args=[claim.pk]),
        {
            "attribution": attribution,
            "veracity": veracity,
            "reviewed_text": claim.text,
            "version": claim.version,
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def verdicts_on_page(client, article) -> dict[str, str]:
    """Claim text -> the rating readers see, from "How we know this"."""
    page = get_page(client, article).split('id="how-heading"')[1]
    entries = re.findall(
        r'<span class="claim-text">(.*?)</span>.*?veracity-(\w+)', page, re.S
    )
    return {html.unescape(text): rating for text, rating in entries}


@pytest.fixture
def submitted(demo):
    assert demo.status == Article.Status.SUBMITTED  # as the demo loads it
    return demo


def first_claim(article) -> Claim:
    return article.claims.filter(speaker__isnull=False).order_by("start").first()


# 1. An override approves what was open at that moment, nothing later.


def test_a_claim_rated_false_after_an_override_blocks_publication_until_overridden_anew(
    client, submitted, django_capture_on_commit_callbacks
):
    claims = list(submitted.claims.order_by("start"))
    for claim in claims[1:]:
        decide(client, claim)
    response = act(
        client, "publisher", submitted, "override_approve", message="Deadline"
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, claims[0], veracity="false")  # after the override

    refused = act(client, "publisher", submitted, "publish")
    assert refused.status_code == 409
    assert "1 claim(s) are rated false" in refused.content.decode()
    assert Article.objects.get(pk=submitted.pk).status == Article.Status.APPROVED
    told = Notification.objects.filter(
        article=submitted, verb=Notification.Verb.APPROVAL_LAPSED
    )
    assert {n.recipient.username for n in told} >= {"reporter", "publisher"}

    again = act(
        client, "publisher", submitted, "override_approve", message="We stand by it"
    )
    assert again.status_code == 302
    assert act(client, "publisher", submitted, "publish").status_code == 302
    override = AuditEntry.objects.filter(
        article=submitted, action=AuditEntry.Action.OVERRIDE
    ).latest("pk")
    assert {
        "claim": claims[0].pk,
        "review": "reviewed",
        "attribution": "confirmed",
        "veracity": "false",
    } in override.data["overridden"]
    assert verdicts_on_page(client, submitted)[claims[0].text] == "false"


def test_the_sweep_does_not_publish_a_story_whose_claim_turned_false_after_approval(
    client, submitted, django_capture_on_commit_callbacks
):
    for claim in submitted.claims.all():
        decide(client, claim)
    assert act(client, "editor", submitted, "approve").status_code == 302
    when = timezone.now() + datetime.timedelta(minutes=5)
    scheduled = act(
        client,
        "publisher",
        submitted,
        "schedule",
        publish_at=timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"),
    )
    assert scheduled.status_code == 302
    decide(client, first_claim(submitted), veracity="false")
    from desk.services import articles_publish_due

    assert articles_publish_due(now=when + datetime.timedelta(minutes=1)) == []
    assert Article.objects.get(pk=submitted.pk).status == Article.Status.SCHEDULED


def test_a_new_claim_after_approval_blocks_publication(client, submitted):
    for claim in submitted.claims.all():
        decide(client, claim)
    act(client, "editor", submitted, "approve")
    client.force_login(user("editor"))
    words = first_claim(submitted).text[:40]  # part of a sentence: a new claim
    response = client.post(
        reverse("admin:factcheck_claim_add"),
        {
            "article": submitted.pk,
            "text": words,
            "occurrence": 1,
            "kind": "unattributed",
        },
    )
    assert response.status_code == 302
    refused = act(client, "publisher", submitted, "publish")
    assert refused.status_code == 409
    assert "1 claim(s) await review" in refused.content.decode()


# 2. A newsroom with one editor and one publisher never dead-ends.


def test_a_one_editor_desk_has_an_ordinary_path_to_publication(
    client, submitted, django_capture_on_commit_callbacks
):
    editor = user("editor")
    with django_capture_on_commit_callbacks(execute=True):
        article_save(  # the only editor works on the story
            article=submitted,
            actor=editor,
            content=workflow_content(submitted, dek="Edited by the only editor."),
            base_revision_id=submitted.current_revision_id,
        )
    for claim in submitted.claims.all():
        decide(client, claim)

    client.force_login(editor)
    page = client.get(reverse("desk:story", args=[submitted.pk]))
    assert "approve" not in {t.name for t in page.context["review"].transitions}
    refused = act(client, "editor", submitted, "approve")
    assert refused.status_code == 403
    assert "an editor or publisher who did not work on it" in refused.content.decode()

    client.force_login(user("publisher"))
    offered = client.get(reverse("desk:story", args=[submitted.pk]))
    names = {t.name for t in offered.context["review"].transitions}
    assert "approve" in names and "override_approve" not in names  # nothing open
    assert act(client, "publisher", submitted, "approve").status_code == 302
    assert act(client, "publisher", submitted, "publish").status_code == 302
    assert not AuditEntry.objects.filter(
        article=submitted, action=AuditEntry.Action.OVERRIDE
    ).exists()


def workflow_content(article, **changes):
    from articles.content import ArticleContent

    article.refresh_from_db()
    current = ArticleContent.of_revision(article.current_revision)
    return ArticleContent(**{**current.as_dict(), **changes})


# 3. A published verdict changes only through a correction.


def test_a_re_rating_after_publication_waits_for_the_publishers_correction(
    client, published, django_capture_on_commit_callbacks
):
    claim = first_claim(published)
    before = verdicts_on_page(client, published)[claim.text]
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, claim, veracity="misleading", public_explanation="Revised.")
    assert verdicts_on_page(client, published)[claim.text] == before

    client.force_login(user("publisher"))
    desk = client.get(reverse("desk:corrections")).content.decode()
    assert "re-rated" in desk and claim.text[:40] in desk
    assert Notification.objects.filter(
        recipient=user("publisher"), verb=Notification.Verb.CORRECTION_NEEDED
    ).exists()
    story = client.get(reverse("desk:story", args=[published.pk]))
    assert story.context["form"]["claims"].initial == [claim.pk]

    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            client,
            "publisher",
            published,
            "correct",
            message="We revised our rating of the launch count.",
            claims=[claim.pk],
        )
    assert response.status_code == 302
    assert verdicts_on_page(client, published)[claim.text] == "misleading"
    page = get_page(client, published)
    assert "We revised our rating of the launch count." in page
    entry = page.split(f">{escape(claim.text)}</span>")[1].split("</li>")[0]
    assert "Corrected" in entry
    client.force_login(user("publisher"))
    assert "re-rated" not in client.get(reverse("desk:corrections")).content.decode()


def test_dismissing_merging_or_re_attributing_a_public_claim_needs_a_correction(
    client, published, django_capture_on_commit_callbacks
):
    first, second, third = list(published.claims.order_by("start"))[:3]
    shown = verdicts_on_page(client, published)
    client.force_login(user("editor"))
    changelist = reverse("admin:factcheck_claim_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            changelist, {"action": "dismiss_claims", "_selected_action": [first.pk]}
        )
        client.post(
            changelist,
            {"action": "merge_claims", "_selected_action": [second.pk, third.pk]},
        )
    assert verdicts_on_page(client, published) == shown
    changes = {
        change.claim.pk: change.change
        for change in claims_needing_correction(article_id=published.pk)
    }
    assert changes[first.pk] == "dismissed"
    assert changes[third.pk] == "taken out of the story (merged or removed)"
    assert changes[second.pk] == "sent back to review"


# 4. A retraction withdraws the ratings wherever the story appears.


def test_a_retracted_story_carries_no_rating_and_is_labelled_everywhere(
    client, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            client,
            "publisher",
            published,
            "retract",
            message="The launch was misreported.",
        )
    assert response.status_code == 302
    client.logout()
    page = get_page(client, published)
    graph = json_ld(page)["@graph"]
    assert [item["@type"] for item in graph] == ["NewsArticle"]
    assert graph[0]["creativeWorkStatus"] == "Retracted"
    assert "veracity-" not in page and 'class="claim-marker"' not in page
    assert escape(published.headline) not in client.get("/").content.decode()
    section = client.get(reverse("reader:section", args=[published.section.slug]))
    assert "Retracted" in section.content.decode()
    search = client.get("/search/?q=missiles").content.decode()
    assert "Retracted</span>" in search
    feed = client.get("/feeds/latest/").content.decode()
    assert f"<title>Retracted: {published.headline}</title>" in feed.replace(
        "&#x27;", "'"
    )


# 5. A correction is tied to what it corrects.


def test_a_correction_shows_at_its_claim_and_moves_the_updated_time(
    client, published, django_capture_on_commit_callbacks
):
    claim = first_claim(published)
    with django_capture_on_commit_callbacks(execute=True):
        act(
            client,
            "publisher",
            published,
            "correct",
            message="The statement was issued at 8:10, not 7:50.",
            claims=[claim.pk],
        )
    client.logout()
    page = get_page(client, published)
    correction_time = published.corrections.get().created_at
    assert (
        f'Updated <time datetime="{correction_time.isoformat()}'
        in page.replace("+00:00", "+00:00")
        or "Updated <time" in page
    )
    graph = json_ld(page)["@graph"]
    modified = datetime.datetime.fromisoformat(graph[0]["dateModified"])
    assert modified == correction_time
    entry = page.split(f">{escape(claim.text)}</span>")[1].split("</li>")[0]
    assert "Corrected" in entry


# 6. Readers see only confirmed sources; no public link leads nowhere.


def test_an_unconfirmed_source_is_shown_as_written_and_never_linked(
    client, demo, django_capture_on_commit_callbacks
):
    proposed = Source.objects.create(
        name="A confidential United Nations", kind="person", confirmed=False
    )
    claim = first_claim(demo)
    Claim.objects.filter(pk=claim.pk).update(
        speaker=proposed, speaker_text="a confidential United Nations report"
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_reviewed(demo)
    page = get_page(client, demo)
    assert "a confidential United Nations report" in page
    assert f"/sources/{proposed.pk}/" not in page
    entry = page.split(escape(claim.text))[-1].split("</li>")[0]
    assert "Source:</strong> a confidential United Nations report" in " ".join(
        entry.split()
    )
    assert "(person)" not in entry
    for url, response in crawl(client).items():
        assert response.status_code == 200, url


# 7. Scheduling works in the demo, and a late story is marked.


def test_the_desk_marks_a_scheduled_story_that_is_past_its_time(client, submitted):
    for claim in submitted.claims.all():
        decide(client, claim)
    act(client, "editor", submitted, "approve")
    when = timezone.now() + datetime.timedelta(minutes=2)
    act(
        client,
        "publisher",
        submitted,
        "schedule",
        publish_at=timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"),
    )
    Article.objects.filter(pk=submitted.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    client.force_login(user("editor"))
    story = client.get(reverse("desk:story", args=[submitted.pk])).content.decode()
    assert "overdue: not published yet" in story
    late = client.get(reverse("desk:corrections")).content.decode()
    assert (
        escape(submitted.headline) in late.split("Scheduled stories past their time")[1]
    )


def test_an_editor_cannot_add_a_correction(client, published):
    assert (
        act(client, "editor", published, "correct", message="x", claims=[]).status_code
        == 403
    )


def test_reporters_have_no_publisher_actions(client, published):
    response = act(client, "reporter", published, "retract", message="no")
    assert response.status_code == 403
