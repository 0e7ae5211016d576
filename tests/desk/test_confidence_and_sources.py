"""The desk shows the extractor's confidence, orders the queue doubtful first,
and lets editors confirm or merge the sources the extractor proposed."""

import pytest
from django.urls import reverse

from factcheck.models import Claim, Source
from outbox.models import Job
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Officials said the dam held overnight.\n\n"
    "Ana Ruiz visited the site on Monday.\n\n"
    "She said the water had receded."
)


@pytest.fixture
def story(submit_story):
    return submit_story(BODY)


def test_the_queue_can_put_the_least_confident_proposals_first(
    client, factchecker, story
):
    client.force_login(factchecker)
    oldest = client.get(reverse("desk:queue"))
    doubtful = client.get(reverse("desk:queue"), {"order": "doubtful"})
    assert [c.confidence for c in oldest.context["claims"]] == [
        "high",
        "high",
        "medium",
    ]
    assert [c.confidence for c in doubtful.context["claims"]] == [
        "medium",
        "high",
        "high",
    ]
    page = doubtful.content.decode()
    assert '<th scope="col">Confidence</th>' in page
    assert "least confident proposals first" in page


def test_the_claim_page_shows_the_confidence_and_the_mention_as_written(
    client, factchecker, story
):
    claim = story.claims.get(text="She said the water had receded.")
    client.force_login(factchecker)
    page = client.get(reverse("desk:claim", args=[claim.pk])).content.decode()
    assert "Extractor’s confidence" in page and "Medium" in page
    assert "as written: “She”" in page
    assert claim.speaker.name == "Ana Ruiz"


@pytest.fixture
def duplicate(story):
    """A proposed source that spells a registered one differently."""
    kept = SourceFactory(name="Kim Jong Un", kind=Source.Kind.OFFICIAL)
    proposed = SourceFactory(name="Kim Jong-un", confirmed=False)
    claim = story.claims.first()
    Claim.objects.filter(pk=claim.pk).update(speaker=proposed)
    return kept, proposed, claim


def test_editors_see_unconfirmed_sources_with_their_likely_duplicates(
    client, editor, duplicate, django_assert_max_num_queries
):
    kept, _, _ = duplicate
    client.force_login(editor)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("desk:sources_unconfirmed"))
    items = {item.source.name: item for item in response.context["items"]}
    assert [entry.key for entry in items["Kim Jong-un"].duplicates] == [str(kept.pk)]
    assert "Merge into Kim Jong Un" in response.content.decode()


def test_fact_checkers_may_not_confirm_or_merge_sources(client, factchecker, duplicate):
    kept, proposed, _ = duplicate
    client.force_login(factchecker)
    assert client.get(reverse("desk:sources_unconfirmed")).status_code == 403
    response = client.post(
        reverse("desk:source_merge", args=[proposed.pk]), {"keep": kept.pk}
    )
    assert response.status_code == 403
    assert Source.objects.filter(pk=proposed.pk).exists()


def test_merging_moves_the_claims_and_keeps_the_spelling_as_an_alias(
    client, editor, duplicate
):
    kept, proposed, claim = duplicate
    client.force_login(editor)
    response = client.post(
        reverse("desk:source_merge", args=[proposed.pk]), {"keep": kept.pk}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    kept.refresh_from_db()
    assert claim.speaker == kept and "Kim Jong-un" in kept.alias_list
    assert not Source.objects.filter(pk=proposed.pk).exists()


def test_merging_into_itself_or_nothing_is_refused_with_a_message(
    client, editor, duplicate
):
    _, proposed, _ = duplicate
    client.force_login(editor)
    url = reverse("desk:source_merge", args=[proposed.pk])
    assert client.post(url, {"keep": proposed.pk}).status_code == 409
    assert client.post(url, {"keep": ""}).status_code == 400
    assert client.post(url, {"keep": 999999}).status_code == 409
    assert Source.objects.filter(pk=proposed.pk).exists()


def test_confirming_a_source_takes_it_off_the_list(client, editor, duplicate):
    _, proposed, _ = duplicate
    client.force_login(editor)
    response = client.post(reverse("desk:source_confirm", args=[proposed.pk]))
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.confirmed
    names = [
        item.source.name
        for item in client.get(reverse("desk:sources_unconfirmed")).context["items"]
    ]
    assert "Kim Jong-un" not in names


def test_confirming_a_source_tells_the_reader_site(
    client, editor, duplicate, django_capture_on_commit_callbacks
):
    _, proposed, _ = duplicate
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True) as committed:
        client.post(reverse("desk:source_confirm", args=[proposed.pk]))
    assert committed  # the announcement that public pages changed
    assert Job.objects.filter(
        task="articles.tasks.announce_public_change_task"
    ).exists()
