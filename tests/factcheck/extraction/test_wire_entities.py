"""Wire copy: the right party for each attributed sentence.

The articles in ``wire/`` were written for these tests in agency style (AP,
Reuters, Yonhap, Kyodo; diplomacy, courts, markets, a disaster, an election,
the military, labour, health). Each ``X.entities.json`` lists every attributed
sentence by its opening words and the party it belongs to, pronouns, role
nouns and continuing quotations resolved by hand. The registry is the demo one
plus each article's parties by name, so resolving them still takes work.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from factcheck.extraction import body_start, extract_claims
from factcheck.extraction.evaluation import (
    WireReport,
    evaluate_wire,
    score_wire_article,
    wire_registry,
)

from .test_extraction_gold import demo_entries

ROOT = Path(__file__).resolve().parents[3]
WIRE_DIR = Path(__file__).resolve().parent / "wire"
DEMO_REGISTRY = ROOT / "desk" / "demo" / "sources.json"
GOLD = sorted(WIRE_DIR.glob("*.entities.json"))
TARGET = 0.85


def article_of(gold_path: Path) -> Path:
    return gold_path.with_name(gold_path.name.removesuffix(".entities.json") + ".txt")


def test_there_are_six_to_ten_wire_articles_of_about_300_words():
    assert 6 <= len(GOLD) <= 10
    for gold_path in GOLD:
        text = article_of(gold_path).read_text("utf-8")
        assert 220 <= len(text[body_start(text) :].split()) <= 400, gold_path.name


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda path: path.stem)
def test_every_gold_sentence_is_in_its_article_once(gold_path: Path):
    text = article_of(gold_path).read_text("utf-8")
    body = text[body_start(text) :]
    gold = json.loads(gold_path.read_text("utf-8"))
    for row in gold["sentences"]:
        assert body.count(row["text"]) == 1, row["text"]
        assert row["source"] in gold["sources"]


def test_entity_accuracy_on_wire_copy_reaches_the_target():
    report = evaluate_wire(WIRE_DIR, demo_entries())
    assert report.articles == len(GOLD)
    assert report.attributed >= 90
    assert report.accuracy >= TARGET, [
        (miss.sentence, miss.expected, miss.got) for miss in report.misses
    ]


def test_a_wrong_party_is_a_miss_and_an_unattributed_sentence_too():
    text = (
        "date 2026-01-05 World\n\nHeadline here\n\nStandfirst here\n\n"
        "Ana Ruiz said the dam had held. Water levels fell overnight."
    )
    gold = {
        "sources": {
            "ruiz": {"name": "Ana Ruiz", "kind": "person"},
            "berg": {"name": "Tomas Berg", "kind": "person"},
        },
        "sentences": [
            {"text": "Ana Ruiz said", "source": "berg"},
            {"text": "Water levels fell", "source": "ruiz"},
        ],
    }
    report = WireReport()
    score_wire_article("x.txt", text, gold, report)
    assert (report.attributed, report.right) == (2, 0)
    assert [(miss.expected, miss.got) for miss in report.misses] == [
        ("Tomas Berg", "Ana Ruiz"),
        ("Ana Ruiz", None),
    ]


def test_a_gold_sentence_missing_from_the_article_is_a_clear_error():
    gold = {
        "sources": {"a": {"name": "A"}},
        "sentences": [{"text": "No", "source": "a"}],
    }
    with pytest.raises(ValueError, match="not in the body"):
        score_wire_article("x.txt", "Yes.", gold, WireReport())


def test_the_registry_adds_the_articles_parties_to_the_known_ones():
    gold = json.loads(GOLD[0].read_text("utf-8"))
    registry = wire_registry(gold, demo_entries())
    names = {entry.name for entry in registry.entries}
    assert {source["name"] for source in gold["sources"].values()} <= names
    assert "Unnamed officials" in names


def test_pronouns_and_role_nouns_of_wire_copy_resolve():
    gold_path = WIRE_DIR / "2026-11-24-fisheries-talks-diplomacy.entities.json"
    text = article_of(gold_path).read_text("utf-8")
    gold = json.loads(gold_path.read_text("utf-8"))
    body = text[body_start(text) :]
    claims = extract_claims(body, wire_registry(gold, demo_entries()))
    by_speaker = {
        (claim.speaker, claim.source.name if claim.source else None)
        for claim in claims
        if claim.kind != "none"
    }
    assert ("He", "Pieter Halvorsen") in by_speaker
    assert ("The ministry", "Arvenian Foreign Ministry") in by_speaker
    assert ("The spokesperson", "Mika Lund") in by_speaker


def test_the_command_prints_the_wire_entity_accuracy():
    out = StringIO()
    call_command(
        "evaluate_extractor",
        str(WIRE_DIR),
        "--registry",
        str(DEMO_REGISTRY),
        stdout=out,
    )
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith(f"{len(GOLD)} articles, ")
    assert float(last.rsplit(" ", 1)[1]) >= TARGET
