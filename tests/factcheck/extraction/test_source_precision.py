"""The right speaker, or none: the cases behind the source-precision work on
issue #13 (wrong-entity proposals counted on the PolNeAR train and dev splits).
Every sentence here was written for this test."""

import pytest

from factcheck.extraction import RegistryEntry, SourceRegistry, extract_claims


def speakers(text, registry=None):
    return [
        (claim.speaker, claim.cue)
        for claim in extract_claims(text, registry)
        if claim.kind != "none"
    ]


@pytest.mark.parametrize(
    "text, speaker, cue",
    [
        # an opening adverbial phrase is not the subject
        (
            "At a rally in Velden on Sunday, Ruiz attacked the plan, saying "
            "it would close two hospitals.",
            "Ruiz",
            "saying",
        ),
        (
            "Hours later, Berg returned the call, telling reporters he was calm.",
            "Berg",
            "telling",
        ),
        (
            "In a statement, one of the family's lawyers, Ana Ortiz, said the video "
            "proved nothing.",
            "Ana Ortiz",
            "said",
        ),
        (
            "Ruiz, at Monday's hearing, cited figures the ministry had published.",
            "Ruiz",
            "cited",
        ),
        # a subject and its appositives open the sentence: no inversion
        (
            "Ana Ruiz, the mayor's eldest daughter, noted the rule in an interview.",
            "Ana Ruiz",
            "noted",
        ),
        (
            "Tomas Berg, 61, of Velden, who watched the vote on television, said the "
            "result surprised him.",
            "Tomas Berg",
            "said",
        ),
        # time words and adverbs between subject and verb
        ("Berg this week also said he would run again.", "Berg", "said"),
        (
            "The bank just last month warned that rates could rise.",
            "The bank",
            "warned",
        ),
        (
            "Marta Lind, the union's chief, forcefully told members "
            'that "the strike is not over."',
            "Marta Lind",
            "told",
        ),
        # a speaker named after the verb, with a role noun or a medium
        (
            '"We are ready," said Velden Radio host Ana Ruiz.',
            "Velden Radio host Ana Ruiz",
            "said",
        ),
        (
            '"It was close," wrote Tomas Berg for the Velden Courier.',
            "Tomas Berg",
            "wrote",
        ),
        ('"We are proud," said the 46-year-old.', "the 46-year-old", "said"),
        (
            '"The count is fair," said Ana Ruiz of the Velden election board.',
            "Ana Ruiz of the Velden election board",
            "said",
        ),
        # the closing tag governs the sentence
        (
            "Ruiz had told aides she would not run, but the party overruled her, "
            "the source added.",
            "the source",
            "added",
        ),
        # a short tag between commas governs its sentence
        ("Cost estimates, he added, were based on an old design.", "he", "added"),
        # subordinate opening clause, "went on to", pronoun subjects
        (
            "While she conceded funding was short, Ruiz also noted several gains.",
            "Ruiz",
            "noted",
        ),
        ("Berg went on to explain how the levy would work.", "Berg", "explain"),
        ("But some note that the levy has never been collected.", "some", "note"),
        # the subject, not the object of its relative clause
        (
            "One of the doctors who signed the letter called the plan a gamble.",
            "One of the doctors",
            "called",
        ),
        # a quotation closed by its speaker and a verb the lexicon lacks
        ('"The vote is lost," Berg concludes.', "Berg", "concludes"),
        ('"We tried everything," he points out.', "he", "points out"),
    ],
)
def test_the_speaker_is_the_subject_not_a_nearby_phrase(text, speaker, cue):
    assert speakers(text)[0] == (speaker, cue)


@pytest.mark.parametrize(
    "text, wrong",
    [
        # objects of prepositions and nouns are no subjects or cues
        (
            "The ruling shields them from any criminal charges that might follow.",
            "any criminal",
        ),
        ("Turnout rose in all five states.", "five"),
        ("Half of Democratic claims were rated false - a 3 to 1 margin.", "Democratic"),
        ("The plan needs the help of states that may not want to pay.", "the help of"),
        ("Having said that, the council kept its budget.", "Having"),
        (
            "The spot features a Velden Times report from the weekend on the levy.",
            "a Velden Times",
        ),
        (
            "Pollster Ana Ruiz sounded a cautious note about the jobs report.",
            "the jobs",
        ),
        ("A militia claimed responsibility for the attack on Monday.", "A militia"),
        # a passive citation without its agent quotes nobody
        (
            "Nobody could explain why the rule is cited on the city's website.",
            "the rule",
        ),
        # "issued a statement" never inverts its object into a speaker
        (
            "Berg, the party's chairman, issued a statement after the vote.",
            "a statement",
        ),
        # a headline-like label is no speaker
        ("Note: the figures are provisional.", "Note"),
        ("BOOM: Prices Jump Again.", "BOOM"),
        # credit lines and acts
        ("Ana Ruiz reported from Velden.", "Ana Ruiz"),
        (
            "The strong jobs report has cleared the way for a rate cut.",
            "The strong jobs",
        ),
        ("Ruiz won the primary, claiming 41 percent of the vote.", "Ruiz"),
        ("Berg won the caucus, adding to his run of victories.", "Berg"),
        ("She recently called in to a radio show about the levy.", "She"),
    ],
)
def test_no_wrong_speaker_is_proposed(text, wrong):
    found = [speaker for speaker, _ in speakers(text)]
    assert all(wrong not in (speaker or "") for speaker in found), found


def test_issued_a_statement_keeps_the_subject():
    assert speakers(
        "Berg, the party's chairman, issued a statement after the vote."
    ) in (
        [],
        [("Berg", "issued a statement")],
    )


def test_a_transcript_labels_each_paragraph_with_its_speaker():
    text = (
        "RUIZ: We will not close the hospital. Not this year.\n\n"
        "BERG: Then where will the money come from?\n\n"
        "RUIZ: From the reserve fund."
    )
    assert [(c.speaker, c.kind != "none") for c in extract_claims(text)] == [
        ("RUIZ", True),
        ("RUIZ", True),
        ("BERG", True),
        ("RUIZ", True),
    ]


def test_a_single_capitalised_label_needs_a_quotation():
    (claim,) = extract_claims(
        "The ministry: \u201cWe will not negotiate under pressure.\u201d"
    )
    assert (claim.kind, claim.speaker, claim.cue) == ("direct", "The ministry", ":")
    (claim,) = extract_claims("Kim: a profile of the new envoy.")
    assert claim.kind == "none"


def test_a_quotation_signed_with_a_dash_belongs_to_the_signer():
    text = (
        "\u201cThe debate scared me. I will vote early.\u201d\u2015 Marta Lind\n\n"
        "\u201cNothing changed for us.\u201d \u2014 Tomas Berg, teacher"
    )
    found = {c.text[:8]: (c.speaker, c.kind) for c in extract_claims(text)}
    assert found["\u201cThe deb"] == ("Marta Lind", "direct")
    assert found["\u201cNothing"] == ("Tomas Berg", "direct")


def test_role_nouns_find_the_party_their_appositive_or_title_named():
    registry = SourceRegistry(
        [
            RegistryEntry("lund", "Mika Lund", (), "official"),
            RegistryEntry("ferrante", "Aldo Ferrante", (), "official"),
        ]
    )
    text = (
        "Sorvik's spokesperson, Mika Lund, said the crews were safe. "
        "The spokesperson said the boats were held.\n\n"
        "The vote ended President Aldo Ferrante's term. Ferrante conceded late "
        'Sunday. "The people have spoken," the president said.'
    )
    found = {
        (c.speaker, c.source.key if c.source else None)
        for c in extract_claims(text, registry)
    }
    assert ("The spokesperson", "lund") in found
    assert ("the president", "ferrante") in found


def test_the_ministry_after_its_minister_and_a_shortened_registered_name():
    registry = SourceRegistry(
        [
            RegistryEntry("mof", "Finance Ministry", (), "government"),
            RegistryEntry("bpa", "Breska Port Authority", (), "government"),
        ]
    )
    text = (
        "BRESKA (Reuters) - Finance Minister Paul Ferran welcomed the deal. "
        "The ministry said the deficit had narrowed. About 140 ships were waiting, "
        "according to the port authority."
    )
    found = [c.source.key if c.source else None for c in extract_claims(text, registry)]
    assert found[-2:] == ["mof", "bpa"]


def test_a_shortened_name_without_evidence_stays_unresolved():
    registry = SourceRegistry(
        [RegistryEntry("bpa", "Breska Port Authority", (), "government")]
    )
    (claim,) = extract_claims(
        "Ships waited, according to the port authority.", registry
    )
    assert claim.speaker == "the port authority" and claim.source is None
