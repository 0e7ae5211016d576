"""Attribution in the text and a scannable "How we know this" (issue 15)."""

import re

import pytest
from django.utils.html import escape

from factcheck.models import Claim, Source
from reader.selectors import PublicClaim, PublicSource, summarise_claims

pytestmark = pytest.mark.django_db

MARKER = re.compile(
    r'<span class="claim-marker"><a href="#claim-(\d+)" id="claim-ref-\1"'
    r' class="([\w-]+)">(.*?)</a></span>',
    re.S,
)


def get_page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def is_state_media(claim: Claim) -> bool:
    sources = (claim.speaker, claim.channel)
    return claim.kind == Claim.Kind.STATE_MEDIA or any(
        source and source.kind == Source.Kind.STATE_MEDIA for source in sources
    )


def test_each_checked_sentence_says_who_said_it_and_labels_state_media(
    client, published
):
    page = get_page(client, published)
    claims = list(published.claims.select_related("speaker", "channel"))
    claims.sort(key=lambda claim: claim.start)
    markers = {int(number): (kind, html) for number, kind, html in MARKER.findall(page)}
    assert sorted(markers) == list(range(1, len(claims) + 1))
    state_media = 0
    for number, claim in enumerate(claims, start=1):
        kind, html = markers[number]
        tip = html.split('<span class="claim-tip">')[1]
        if claim.speaker:
            assert escape(claim.speaker.public_name) in tip
        else:
            assert "Our reporting" in tip
        if claim.channel:
            assert f", via {escape(claim.channel.public_name)}" in tip
        assert escape(claim.get_veracity_display()) in tip
        labelled = '<span class="claim-label">state media</span>' in html
        assert labelled == (kind == "state-media") == is_state_media(claim)
        state_media += labelled
    assert state_media == 2  # KCNA's two reports in the seed story
    # Nothing but the checked sentences is marked: no numbers in the text any more.
    body = page.split('<div class="article-body">')[1].split("</div>")[0]
    assert "<sup" not in body
    assert body.count('<span class="claim-marker">') == len(claims)


def test_how_we_know_this_opens_with_its_counts_in_one_line(client, published):
    page = get_page(client, published)
    claims = published.claims.all()
    sources = {
        pk
        for pair in claims.values_list("speaker_id", "channel_id")
        for pk in pair
        if pk
    }
    unverifiable = claims.filter(veracity="unverifiable").count()
    summary = (
        f"26 claims from {len(sources)} sources and our own reporting, all checked: "
        f"{26 - unverifiable} accurate, {unverifiable} unverifiable state-media "
        "reports."
    )
    assert f'<p class="how-summary">{summary}</p>' in page
    assert unverifiable == 2


def test_entries_are_grouped_by_the_source_the_words_came_through(client, published):
    page = get_page(client, published).split('id="how-heading"')[1]
    groups = page.split('<section class="source-group"')[1:]
    claims = {
        claim.text: claim
        for claim in published.claims.select_related("speaker", "channel")
    }
    seen = []
    for group in groups:
        heading = group.split("</h3>")[0]
        texts = re.findall(r'<span class="claim-text">(.*?)</span>', group, re.S)
        assert f"· {len(texts)} claim" in heading
        for text in texts:
            claim = claims[text.replace("&#x27;", "'").replace("&quot;", '"')]
            through = claim.channel or claim.speaker
            if through:
                assert escape(through.public_name) in heading
            else:
                assert "Our own reporting" in heading
            # One folded line: the speaker only when the words came through another.
            line = group.split(f">{text}</span>")[0].rsplit("<summary>", 1)[1]
            assert ('class="claim-speaker"' in line) == bool(claim.channel)
            seen.append(text)
    assert len(seen) == len(claims) == 26
    assert "Our own reporting" in groups[-1].split("</h3>")[0]
    assert page.count("<details>") == 26 and "<details open" not in page


def _claim(**fields) -> PublicClaim:
    values = {
        "number": 1,
        "end": 0,
        "text": "",
        "kind": Claim.Kind.REPORTED_SPEECH,
        "kind_label": "",
        "speaker": None,
        "channel": None,
        "attribution": Claim.Attribution.CONFIRMED,
        "attribution_label": "",
        "veracity": Claim.Veracity.ACCURATE,
        "veracity_label": "",
        "explanation": "",
        "reviewed_at": None,
        "evidence": [],
        "corrected_at": None,
    }
    return PublicClaim(**{**values, **fields})


def _source(name: str, kind: str = Source.Kind.OFFICIAL) -> PublicSource:
    return PublicSource(
        name=name,
        kind=kind,
        kind_label="",
        role="",
        reader_note="",
        url="",
        protected=False,
    )


def test_the_summary_counts_every_verdict_and_doubted_attribution():
    minister, agency = _source("Minister"), _source("Agency", Source.Kind.STATE_MEDIA)
    claims = [
        _claim(speaker=minister),
        _claim(speaker=minister, veracity=Claim.Veracity.MISLEADING),
        _claim(
            speaker=minister,
            attribution=Claim.Attribution.NOT_CONFIRMED,
            veracity=Claim.Veracity.NOT_ASSESSED,
        ),
        _claim(speaker=agency, veracity=Claim.Veracity.UNVERIFIABLE),
        _claim(speaker=None, veracity=Claim.Veracity.UNVERIFIABLE),
    ]
    assert summarise_claims(claims) == (
        "5 claims from 2 sources and our own reporting, all checked: 1 accurate, "
        "1 misleading, 2 unverifiable, 1 not assessed, 1 not confirmed as said."
    )
    assert summarise_claims(claims[3:4]) == (
        "1 claim from 1 source, checked: 1 unverifiable state-media report."
    )
    assert summarise_claims([]) == ""
