"""Resolving speaker mentions to registry entries."""

import pytest

from factcheck.extraction import RegistryEntry, SourceRegistry

APOS = "\u2019"

JCS = RegistryEntry(
    "jcs",
    "Joint Chiefs of Staff (South Korea)",
    ("South Korea's Joint Chiefs of Staff", "Joint Chiefs of Staff", "the JCS"),
    "military",
)
KCNA = RegistryEntry(
    "kcna", "Korean Central News Agency (KCNA)", ("KCNA", "Korean Central News Agency")
)
KOIZUMI = RegistryEntry("koizumi", "Shinjiro Koizumi", (), "official")
KIM = RegistryEntry("kim", "Kim Jong Un", ("Kim",), "official")
LEE_OFFICE = RegistryEntry(
    "lee", "Office of the President", ("Lee's office",), "official"
)
CORVANE = RegistryEntry("corvane", "Corvane Therapeutics", (), "organisation")
OFFICIALS = RegistryEntry(
    "officials", "Unnamed officials", ("officials", "official"), "unnamed"
)
REGISTRY = SourceRegistry([JCS, KCNA, KOIZUMI, KIM, LEE_OFFICE, CORVANE, OFFICIALS])


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Joint Chiefs of Staff", JCS),
        ("The Joint Chiefs of Staff", JCS),
        ("the JCS", JCS),
        ("JCS", JCS),
        ("joint chiefs of staff", JCS),
        (f"South Korea{APOS}s Joint Chiefs of Staff", JCS),
        (f"Lee{APOS}s office", LEE_OFFICE),
        ("Korean Central News Agency (KCNA)", KCNA),
    ],
)
def test_names_and_aliases_match_whatever_the_case_apostrophe_or_article(
    mention, expected
):
    assert REGISTRY.resolve(mention) == expected


def test_longest_contained_alias_holding_the_head_wins():
    assert REGISTRY.resolve("Japanese Defense Minister Shinjiro Koizumi") == KOIZUMI
    assert REGISTRY.resolve("The official Korean Central News Agency") == KCNA


def test_named_source_after_a_linking_word_beats_an_unnamed_head():
    assert REGISTRY.resolve("A spokesperson for the Joint Chiefs of Staff") == JCS


def test_unnamed_source_must_hold_the_head_word():
    assert REGISTRY.resolve("South Korean officials") == OFFICIALS
    assert REGISTRY.resolve("Foreign Ministry official Jane Doe") is None


@pytest.mark.parametrize(
    "mention", ["Koizumi", "Defense Minister Koizumi", "Mr. Koizumi"]
)
def test_surname_alone_or_after_a_title_resolves_a_unique_person(mention):
    assert REGISTRY.resolve(mention) == KOIZUMI


def test_organisation_short_name_and_corporate_suffix_resolve():
    assert REGISTRY.resolve("Corvane") == CORVANE
    assert REGISTRY.resolve("Corvane Therapeutics Inc.") == CORVANE


def test_possessor_alone_does_not_name_the_speaker():
    assert REGISTRY.resolve(f"Koizumi{APOS}s office") is None


def test_fragment_of_another_name_does_not_match():
    assert REGISTRY.resolve("Kim Yo Jong") is None


def test_surname_shared_by_two_people_is_ambiguous():
    registry = SourceRegistry(
        [
            RegistryEntry("a", "Jane Smith", (), "person"),
            RegistryEntry("b", "John Smith", (), "person"),
        ]
    )
    assert registry.resolve("Smith") is None


def test_alias_shared_by_two_entries_is_ambiguous():
    registry = SourceRegistry(
        [
            RegistryEntry("a", "Ministry A", ("the ministry",)),
            RegistryEntry("b", "Ministry B", ("the ministry",)),
        ]
    )
    assert registry.resolve("the ministry") is None


@pytest.mark.parametrize("mention", ["", "   ", "the", "It", "!!!", "Somebody Else"])
def test_unknown_or_empty_mentions_resolve_to_none(mention):
    assert REGISTRY.resolve(mention) is None


def test_empty_registry_resolves_nothing():
    assert SourceRegistry([]).resolve("Koizumi") is None
