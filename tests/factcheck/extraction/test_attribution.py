"""Who a sentence is credited to, how, and through whom."""

import pytest

from factcheck.extraction import (
    ProposedClaim,
    RegistryEntry,
    SourceRegistry,
    extract_claims,
)

LQ, RQ, APOS = "\u201c", "\u201d", "\u2019"

REGISTRY = SourceRegistry(
    [
        RegistryEntry(
            "jcs",
            "Joint Chiefs of Staff (South Korea)",
            ("South Korea's Joint Chiefs of Staff", "Joint Chiefs of Staff", "JCS"),
            "military",
        ),
        RegistryEntry(
            "kcna",
            "Korean Central News Agency (KCNA)",
            ("KCNA", "Korean Central News Agency"),
            "state_media",
        ),
        RegistryEntry("kim", "Kim Jong Un", ("Kim",), "official"),
        RegistryEntry("koizumi", "Shinjiro Koizumi", (), "official"),
        RegistryEntry(
            "nk", "Government of North Korea", ("North Korea",), "government"
        ),
        RegistryEntry(
            "officials", "Unnamed officials", ("officials", "official"), "unnamed"
        ),
        RegistryEntry("experts", "Unnamed experts", ("experts",), "unnamed"),
        RegistryEntry("observers", "Unnamed observers", ("observers",), "unnamed"),
        RegistryEntry(
            "analysts", "Unnamed analysts", ("analysts", "analyst"), "unnamed"
        ),
    ]
)


def claims(text: str) -> list[ProposedClaim]:
    return extract_claims(text, REGISTRY)


def only(text: str) -> ProposedClaim:
    (claim,) = claims(text)
    return claim


def key(claim: ProposedClaim) -> str | None:
    return claim.source.key if claim.source else None


def test_reported_speech_credits_the_subject_with_the_cue_phrase():
    claim = only(
        f"South Korea{APOS}s Joint Chiefs of Staff said in a statement it "
        "detected several launches."
    )
    assert (claim.kind, key(claim), claim.cue) == (
        "indirect",
        "jcs",
        "said in a statement",
    )
    assert claim.speaker == f"South Korea{APOS}s Joint Chiefs of Staff"


def test_quote_first_with_speaker_after_is_direct():
    claim = only(f"{LQ}They are a serious problem,{RQ} Koizumi told reporters.")
    assert (claim.kind, key(claim), claim.cue) == (
        "direct",
        "koizumi",
        "told reporters",
    )


def test_speaker_named_after_the_verb_excludes_the_appositive():
    claim = only(
        f"{LQ}Kim may feel vindicated,{RQ} said Leif-Eric Easley, professor of "
        "international studies at Ewha Womans University in Seoul."
    )
    assert (claim.kind, claim.speaker, claim.source) == (
        "direct",
        "Leif-Eric Easley",
        None,
    )


def test_speaker_then_colon_and_quotation_is_direct():
    claim = only(f"The club said in a statement: {LQ}We thank him.{RQ}")
    assert (claim.kind, claim.speaker) == ("direct", "The club")


def test_scare_quoted_fragment_in_reported_speech_stays_indirect():
    claim = only(
        f"Lee{APOS}s office said China could take {LQ}a constructive role{RQ}."
    )
    assert claim.kind == "indirect"


def test_pronoun_subject_continues_previous_speaker():
    first, second = claims(
        "The Joint Chiefs of Staff said it detected launches. It said the missiles "
        "flew about 900 kilometers."
    )
    assert (second.speaker, key(second), second.cue) == ("It", "jcs", "said")
    assert (second.speaker_start, second.speaker_end) == (first.end + 1, first.end + 3)


def test_he_skips_an_organisation_to_reach_the_last_person():
    claims_ = claims(
        "Japanese Defense Minister Shinjiro Koizumi said two launches were "
        "confirmed. The JCS said the missiles flew far. He added that Tokyo "
        "protested."
    )
    assert [key(c) for c in claims_] == ["koizumi", "jcs", "koizumi"]


def test_it_refers_back_to_a_known_party_acting_in_a_plain_sentence():
    _, second = claims(
        "North Korea fired two missiles on Sunday. It said the test was routine."
    )
    assert key(second) == "nk"


def test_quotation_after_a_quote_by_the_same_speaker_continues_it():
    first, second = claims(
        f"{LQ}Kim may feel vindicated,{RQ} said Leif-Eric Easley. "
        f"{LQ}However, leaders will live with greater paranoia.{RQ}"
    )
    assert (second.kind, second.cue, second.speaker) == (
        "direct",
        None,
        "Leif-Eric Easley",
    )
    assert (second.speaker_start, second.speaker_end) == (
        first.speaker_start,
        first.speaker_end,
    )


def test_quote_sentence_takes_the_attribution_that_follows_in_the_same_quote():
    first, second = claims(
        '"We lost 140 homes. We will not lose them again," Koizumi said.'
    )
    assert (first.kind, first.cue, key(first)) == ("direct", None, "koizumi")
    assert (second.kind, second.cue, key(second)) == ("direct", "said", "koizumi")


def test_multi_paragraph_quotation_continues_in_the_next_paragraph():
    text = (
        f"{LQ}This is the best deal,{RQ} Koizumi said. {LQ}It is final.\n\n"
        f"{LQ}Some of you wanted more. I hear you.\n\n"
        f"{LQ}But this is the answer.{RQ}"
    )
    result = claims(text)
    assert [c.kind for c in result] == ["direct"] * 5
    assert {key(c) for c in result} == {"koizumi"}
    assert [c.paragraph for c in result] == [0, 0, 1, 1, 2]


def test_unattributed_quotation_far_from_any_speaker_has_no_speaker():
    text = (
        "Koizumi said the launch was confirmed.\n\nA quiet week passed by.\n\n"
        f"More news came.\n\n{LQ}Nobody expected this.{RQ}"
    )
    last = claims(text)[-1]
    assert (last.kind, last.speaker) == ("direct", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Experts say North Korea is aiming to show off.", "experts"),
        ("Observers say Kim would believe his leverage has grown.", "observers"),
        ("The missile flew 900 kilometers, officials said.", "officials"),
        (
            "U.S. officials, speaking on background, said talks would go on.",
            "officials",
        ),
        (
            "A senior official, who spoke on condition of anonymity, said talks "
            "stalled.",
            "officials",
        ),
        ("Analysts said a deal would ease prices only slowly.", "analysts"),
        ("Other analysts were more cautious, noting that rivals exist.", "analysts"),
    ],
)
def test_unnamed_sources_resolve_to_unnamed_entries(text, expected):
    claim = only(text)
    assert (claim.kind, key(claim)) == ("indirect", expected)


@pytest.mark.parametrize(
    "text",
    [
        "Observers are watching the congress to see whether talks resume.",
        f"North Korea{APOS}s state media hasn{APOS}t commented on the operation.",
        "A company spokesperson declined to comment on the inquiry.",
        "The agency did not say when the system would be deployed.",
        "South Korea and the U.S. have long asked China to exercise its influence.",
        "Last Sunday, North Korea test-fired what it called cruise missiles.",
        "It represented the most assertive action since 2003.",
        "The claims could not be independently verified.",
        "Officials from both countries are expected to meet again Friday.",
        "It is too early to say whether the talks will resume.",
        "Consumer groups urged customers to change their passwords.",
        "The commander told troops to prepare for a long winter.",
        "Sales estimates vary widely across the region.",
        "The statement added to tensions in the region.",
        "The company posted a loss of $2 million.",
        "The results will be announced by Friday.",
    ],
)
def test_negations_requests_hedges_and_passives_are_not_attributions(text):
    claim = only(text)
    assert (claim.kind, claim.speaker, claim.cue) == ("none", None, None)


def test_negated_announcement_yields_to_the_later_speaker():
    claim = only(
        "North Korea hasn't announced when it will hold the congress, but "
        "South Korea's spy service said it will likely occur in January."
    )
    assert (claim.speaker, claim.cue) == ("South Korea's spy service", "said")


def test_passive_with_an_agent_credits_the_agent():
    claim = only("The launch was confirmed by the Joint Chiefs of Staff.")
    assert (claim.kind, key(claim), claim.cue) == ("indirect", "jcs", "confirmed by")


def test_non_speech_cue_released_photos_credits_the_publisher():
    claim = only("On Dec. 25, North Korea released photos showing a new submarine.")
    assert (claim.kind, key(claim), claim.cue) == ("indirect", "nk", "released photos")


def test_outer_reporter_of_cited_as_is_the_speaker():
    claim = only("KCNA cited Kim as ordering officials to expand production.")
    assert (key(claim), claim.cue, claim.channel) == ("kcna", "cited", None)


@pytest.mark.parametrize(
    "text",
    [
        "Kim said the test was a success, KCNA reported.",
        "According to KCNA, Kim said the test was a success.",
        "Kim, as cited by KCNA, said the test was a success.",
        "Kim said, as cited by KCNA, that the test was a success.",
        "Kim was quoted by KCNA as saying the test was a success.",
        "Kim said in a statement carried by KCNA that the test was a success.",
    ],
)
def test_relaying_medium_is_the_channel_and_the_speaker_keeps_the_claim(text):
    claim = only(text)
    assert (claim.speaker, key(claim)) == ("Kim", "kim")
    assert claim.channel == "KCNA"
    assert claim.channel_source is not None and claim.channel_source.key == "kcna"
    assert text[claim.channel_start : claim.channel_end] == "KCNA"


def test_according_to_alone_credits_its_object():
    claim = only("Three children have died, according to the Karsk Evening Post.")
    assert (claim.kind, claim.speaker, claim.cue) == (
        "indirect",
        "the Karsk Evening Post",
        "according to",
    )


def test_unregistered_named_speaker_keeps_its_mention_without_source():
    claim = only("Councilman Rick Dunmore, who voted against the plan, said it fails.")
    assert (claim.speaker, claim.source, claim.kind) == (
        "Councilman Rick Dunmore",
        None,
        "indirect",
    )


def test_name_in_apposition_to_a_role_is_the_speaker():
    claim = only("The party's leader, Tomas Brenner, said the budget would fail.")
    assert claim.speaker == "Tomas Brenner"


def test_definite_description_refers_back_to_the_named_party():
    _, second = claims(
        "The official Korean Central News Agency said Kim visited a factory. "
        "The agency said production would double."
    )
    assert (second.speaker, key(second)) == ("The agency", "kcna")


def test_without_a_registry_every_source_is_none():
    result = extract_claims("Experts say the test failed. It said more would come.")
    assert [c.kind for c in result] == ["indirect", "indirect"]
    assert all(c.source is None and c.channel_source is None for c in result)


def test_speaker_offsets_point_at_the_mention():
    text = "During the trip, Lee's office said he would visit China."
    claim = only(text)
    assert text[claim.speaker_start : claim.speaker_end] == "Lee's office"
    assert text[claim.start : claim.end] == claim.text
