"""The extractor against hand-annotated articles (the seed story and test copy).

Each article ``X.txt`` has ``X.claims.json`` in the seed's gold format. The
registry is the demo one; sources a test article names that the demo registry
lacks are added by name only (no aliases), so resolving them still takes work.
"""

import json
from pathlib import Path

import pytest

from factcheck.extraction import (
    RegistryEntry,
    SourceRegistry,
    body_start,
    extract_claims,
)

ROOT = Path(__file__).resolve().parents[3]
SEED_DIR = ROOT / "desk" / "demo" / "seed"
ARTICLE_DIR = Path(__file__).resolve().parent / "articles"
ARTICLES = sorted(SEED_DIR.glob("*.txt")) + sorted(ARTICLE_DIR.glob("*.txt"))


def demo_entries() -> list[RegistryEntry]:
    rows = json.loads((ROOT / "desk" / "demo" / "sources.json").read_text("utf-8"))
    return [
        RegistryEntry(row["name"], row["name"], tuple(row["aliases"]), row["kind"])
        for row in rows
    ]


def load(article: Path) -> tuple[str, dict]:
    gold_path = article.with_name(article.name.removesuffix(".txt") + ".claims.json")
    return article.read_text("utf-8"), json.loads(gold_path.read_text("utf-8"))


def registry_for(gold: dict) -> SourceRegistry:
    entries = demo_entries()
    known = {entry.name for entry in entries}
    for source in gold["sources"].values():
        if source["name"] not in known:
            entries.append(
                RegistryEntry(source["name"], source["name"], (), source["kind"])
            )
    return SourceRegistry(entries)


def test_there_are_at_least_ten_test_articles_besides_the_seed():
    assert len(list(ARTICLE_DIR.glob("*.txt"))) >= 10


def test_demo_registry_holds_every_seed_source_by_its_gold_name():
    names = {entry.name for entry in demo_entries()}
    for article in SEED_DIR.glob("*.txt"):
        _, gold = load(article)
        assert {source["name"] for source in gold["sources"].values()} <= names


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.stem)
def test_extracted_claims_match_the_gold_annotation(article: Path):
    text, gold = load(article)
    offset = body_start(text)
    claims = extract_claims(text[offset:], registry_for(gold))

    got = [
        {
            "start": claim.start + offset,
            "end": claim.end + offset,
            "text": claim.text,
            "kind": claim.kind,
            "cue": claim.cue,
            "source": claim.source.name if claim.source else None,
        }
        for claim in claims
    ]
    expected = [
        {
            "start": row["start"],
            "end": row["end"],
            "text": row["text"],
            "kind": row["kind"],
            "cue": row["cue"],
            "source": gold["sources"][row["source"]]["name"] if row["source"] else None,
        }
        for row in gold["claims"]
    ]
    assert got == expected


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.stem)
def test_speaker_mentions_are_those_the_annotation_lists(article: Path):
    text, gold = load(article)
    offset = body_start(text)
    names = {source["name"]: source["mentions"] for source in gold["sources"].values()}
    for claim in extract_claims(text[offset:], registry_for(gold)):
        if claim.source is not None and claim.source.name in names:
            assert claim.speaker in names[claim.source.name], claim.text
            assert (
                claim.speaker == text[offset:][claim.speaker_start : claim.speaker_end]
            )
