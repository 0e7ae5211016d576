"""Attribution cases from wire copy: cue words in context, references, speaker
phrases, colons, participles, two attributions a sentence, layout, passives and
organisations. Every sentence here was written for this test."""

import pytest

from factcheck.extraction import RegistryEntry, SourceRegistry, extract_claims

REGISTRY = SourceRegistry(
    [
        RegistryEntry("pcg", "Philippine Coast Guard", ("coast guard",), "military"),
        RegistryEntry(
            "moh", "Ministry of Health (Arvenia)", ("the ministry",), "government"
        ),
        RegistryEntry("lee", "Lee Jae-myung", (), "official"),
    ]
)


def claims(text, registry=None):
    return [(c.kind, c.speaker, c.cue, c.text) for c in extract_claims(text, registry)]


def speaker_of(text):
    (claim,) = extract_claims(text)
    return claim.speaker


@pytest.mark.parametrize(
    "text, speaker, cue",
    [
        (
            "The senator called the plan a giveaway to insurers.",
            "The senator",
            "called",
        ),
        (
            "Union leaders called for a second strike next week.",
            "Union leaders",
            "called",
        ),
        (
            "Pastor Ellen Graves responded that the church had paid in full.",
            "Pastor Ellen Graves",
            "responded",
        ),
        (
            "The opposition accused the government of hiding the deficit.",
            "The opposition",
            "accused",
        ),
        (
            "Prosecutors charged that the firm had shredded invoices.",
            "Prosecutors",
            "charged",
        ),
        (
            "Rights groups condemned the raids as collective punishment.",
            "Rights groups",
            "condemned",
        ),
        (
            "The minister denied that any money had changed hands.",
            "The minister",
            "denied",
        ),
        (
            "The governor stressed that schools would stay open.",
            "The governor",
            "stressed",
        ),
        ("Rebel commanders vowed to hold the ridge.", "Rebel commanders", "vowed"),
        (
            "Economist Ruth Adeyemi suggested the rate cut had come too late.",
            "Economist Ruth Adeyemi",
            "suggested",
        ),
        (
            "Reporters asked whether the pipeline would be finished this year.",
            "Reporters",
            "asked",
        ),
        ("The unions urged that the talks resume at once.", "The unions", "urged"),
    ],
)
def test_speech_acts_are_cues(text, speaker, cue):
    ((kind, found, found_cue, _),) = claims(text)
    assert (kind, found, found_cue) == ("indirect", speaker, cue)


@pytest.mark.parametrize(
    "text",
    [
        "The plant adds jobs every spring.",
        "Banks report results on Thursday.",
        "She called the police after midnight.",
        "He was charged with fraud in March.",
        "Unions urged members to vote in the ballot.",
        "The coach asked the players to stay late.",
    ],
)
def test_words_that_look_like_cues_are_not_attributions_without_their_context(text):
    ((kind, speaker, cue, _),) = claims(text)
    assert (kind, speaker, cue) == ("none", None, None)


def test_pronouns_follow_gender_and_number():
    text = (
        "Tomas Berg met Ana Ruiz at the dam on Monday. "
        "She said the spillway had held. He said the road would reopen. "
        "Engineers inspected the gates. They said the cracks were old."
    )
    found = extract_claims(text)
    assert [(c.speaker, c.resolved_name) for c in found[1:3]] == [
        ("She", "Ana Ruiz"),
        ("He", "Tomas Berg"),
    ]
    assert found[4].speaker == "They" and found[4].resolved_name is None


def test_a_role_noun_resolves_to_the_person_who_holds_it():
    text = (
        "President Lee Jae-myung arrived in Beijing on Sunday.\n\n"
        "The president said trade would top the agenda."
    )
    last = extract_claims(text, REGISTRY)[-1]
    assert last.speaker == "The president" and last.source.key == "lee"


def test_a_pronoun_is_not_guessed_across_a_paragraph_between_two_people():
    text = (
        "Tomas Berg and Ana Ruiz toured the site. "
        "Berg spoke first. Ruiz spoke next.\n\n"
        "He said the repairs were late."
    )
    last = extract_claims(text)[-1]
    assert last.speaker == "He" and last.confidence in ("medium", "low")


def test_the_ministry_resolves_to_the_body_introduced_earlier():
    text = (
        "Arvenia's Ministry of Health reported 40 new cases on Friday.\n\n"
        "The ministry said most patients were children."
    )
    assert extract_claims(text, REGISTRY)[-1].source.key == "moh"


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Dora Kim, 70, told CNN that the water reached her porch.", "Dora Kim"),
        (
            "The reef is dying, said Maria Chen of the Lowy Institute.",
            "Maria Chen of the Lowy Institute",
        ),
        (
            "The boat was rammed twice, said the Philippine coast guard.",
            "the Philippine coast guard",
        ),
        (
            "Sheikh Hamad bin Jassim said the mediation would continue.",
            "Sheikh Hamad bin Jassim",
        ),
        ("Ursula von der Leyen said the bloc would respond.", "Ursula von der Leyen"),
        ("Bashar al-Assad said the army had retaken the town.", "Bashar al-Assad"),
        ("Turnout will be low, strategists said.", "strategists"),
        ("Regulators said the lender had failed its stress test.", "Regulators"),
        (
            "Indian and Pakistani authorities said the border was quiet.",
            "Indian and Pakistani authorities",
        ),
    ],
)
def test_speaker_phrases(text, speaker):
    assert speaker_of(text) == speaker


def test_the_coast_guard_resolves_to_the_registered_body():
    (claim,) = extract_claims(
        "The boat was rammed twice, said the Philippine coast guard.", REGISTRY
    )
    assert claim.source.key == "pcg"


def test_a_paragraph_ending_in_said_colon_hands_the_next_one_to_the_speaker():
    text = (
        "In a post on Sunday, the mayor of Velden wrote:\n\n"
        "The dam is safe and the town will not be evacuated."
    )
    last = extract_claims(text)[-1]
    assert (last.kind, last.speaker, last.confidence) == (
        "indirect",
        "the mayor of Velden",
        "low",
    )


def test_a_participle_is_tied_to_the_subject():
    (claim,) = extract_claims(
        "Farmers blocked the highway on Tuesday, saying grain prices had collapsed."
    )
    assert (claim.speaker, claim.cue) == ("Farmers", "saying")


def test_two_attributions_in_one_sentence_get_their_own_spans():
    text = (
        "Ruiz said the bridge would reopen in May, "
        "while Berg said repairs would take until autumn."
    )
    first, second = extract_claims(text)
    assert (first.speaker, first.text) == (
        "Ruiz",
        "Ruiz said the bridge would reopen in May",
    )
    assert (second.speaker, second.text) == (
        "Berg",
        "while Berg said repairs would take until autumn.",
    )
    assert first.sentence_start == second.sentence_start == 0
    assert text[second.start : second.end] == second.text


def test_doubled_apostrophes_are_quotation_marks():
    text = "''We will not pay,'' Mr. Ortiz said. ''Not a cent.''"
    assert [(c.kind, c.speaker) for c in extract_claims(text)] == [
        ("direct", "Mr. Ortiz"),
        ("direct", "Mr. Ortiz"),
    ]


def test_title_case_cues_are_read_with_low_confidence():
    (claim,) = extract_claims("Governor Says Schools Will Reopen Next Week.")
    assert (claim.speaker, claim.cue, claim.confidence) == ("Governor", "Says", "low")


def test_a_quoted_question_keeps_its_tag():
    text = "“Who will pay for this?” Ortiz asked. The council did not answer."
    assert [c.text for c in extract_claims(text)] == [
        "“Who will pay for this?” Ortiz asked.",
        "The council did not answer.",
    ]


def test_wrote_on_x_ends_its_sentence():
    text = "The minister wrote on X. The post was deleted an hour later."
    first, second = extract_claims(text)
    assert first.text == "The minister wrote on X."
    assert second.kind == "none"


def test_a_photo_credit_stays_with_its_caption():
    text = (
        "A woman wades through a flooded street in Velden. (AP Photo/Ana Ruiz)"
        "\n\nThe river rose overnight."
    )
    assert [c.text for c in extract_claims(text)] == [
        "A woman wades through a flooded street in Velden. (AP Photo/Ana Ruiz)",
        "The river rose overnight.",
    ]


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            "The fires are contained, according to a statement from the ministry.",
            "the ministry",
        ),
        ("The vote was delayed, Senator Ruiz's office said.", "Senator Ruiz's office"),
        (
            "The outbreak was confirmed by the Ministry of Health.",
            "the Ministry of Health",
        ),
        (
            "In a statement, the Philippine Coast Guard said two vessels were damaged.",
            "the Philippine Coast Guard",
        ),
    ],
)
def test_passive_and_nominal_attributions_and_organisations(text, speaker):
    assert speaker_of(text) == speaker
