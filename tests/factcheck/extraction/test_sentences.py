"""Sentence splitting, header skipping and Markdown handling."""

import pytest

from factcheck.extraction import body_start, extract_claims, split_sentences

LQ, RQ = "\u201c", "\u201d"  # curly double quotes


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Officials in the U.S. and Japan said the launch was detected.",
        "The missiles flew about 900 kilometers at 7:50 a.m. Sunday.",
        "On Dec. 25, North Korea released photos.",
        "Sen. Maria Delgado, D-N.M., and Rep. Tom Akers, R-Ohio, spoke.",
        "Lt. Gen. Robert A. Hines testified before Gen. Mark Ruiz did.",
        "The barracks date from when John F. Kennedy was president.",
        "Production rose by about 2.5 times at the No. 2 plant.",
        "Dr. Jane Smith of Acme Inc. and Mr. Lee of St. Louis met.",
        "They fund basics, e.g., heating, i.e., the boilers, and more.",
        "Corvane, based in Raleigh, N.C., has about 600 employees.",
    ],
)
def test_abbreviations_decimals_and_initials_do_not_end_a_sentence(text):
    assert sentences(text) == [text]


def test_acronym_before_a_typical_sentence_opener_ends_the_sentence():
    text = "The launch came around 7:50 a.m. It said more would follow."
    assert sentences(text) == [
        "The launch came around 7:50 a.m.",
        "It said more would follow.",
    ]


def test_us_at_the_end_of_a_sentence_splits_before_but():
    text = "Talks stalled with the U.S. But Seoul wants to resume them."
    assert len(sentences(text)) == 2


def test_number_abbreviation_is_a_word_when_no_number_follows():
    text = f'Amaro said: "No. Never. That{RQ}s not who we are."'
    assert sentences(text) == [
        'Amaro said: "No.',
        "Never.",
        f'That{RQ}s not who we are."',
    ]


def test_sentence_ending_inside_a_quotation_ends_after_the_closing_mark():
    text = f"{LQ}We are ready.{RQ} The ministry said so. {LQ}Are you?{RQ} he asked."
    assert sentences(text) == [
        f"{LQ}We are ready.{RQ}",
        "The ministry said so.",
        f"{LQ}Are you?{RQ} he asked.",
    ]


def test_comma_inside_a_quotation_does_not_end_the_sentence():
    text = f"{LQ}They are a serious problem,{RQ} Koizumi told reporters."
    assert sentences(text) == [text]


def test_question_and_exclamation_marks_and_ellipses_end_sentences():
    text = "Why now? Nobody knows! Officials waited\u2026 Then it came."
    assert len(sentences(text)) == 4


def test_a_sentence_never_spans_a_paragraph_break():
    first = "The launch came without warning on a cold Sunday morning near the border"
    text = f"{first}\n\nIt said more would follow."
    assert sentences(text) == [first, "It said more would follow."]


def test_sentence_spans_are_trimmed_of_whitespace():
    text = "  One sentence here.   Another one.  \n"
    assert sentences(text) == ["One sentence here.", "Another one."]


def test_headings_and_short_unpunctuated_paragraphs_are_not_sentences():
    text = (
        "North Korea sends missiles\n\n"
        "## Reaction\n\n"
        "**Budget vote**\n\n"
        "The council will vote in January.\n\n"
        "___"
    )
    assert sentences(text) == ["The council will vote in January."]


def test_list_and_blockquote_markers_stay_outside_sentence_spans():
    text = (
        "The plan sets out measures:\n\n"
        "- Centers will stay open.\n"
        "* Shelters will get roofs.\n"
        "1. Trees will be planted.\n\n"
        f"> {LQ}This is the first plan,{RQ} said Dr. Ruth Okafor.\n"
        "> Okafor said more was needed."
    )
    assert sentences(text) == [
        "The plan sets out measures:",
        "Centers will stay open.",
        "Shelters will get roofs.",
        "Trees will be planted.",
        f"{LQ}This is the first plan,{RQ} said Dr. Ruth Okafor.",
        "Okafor said more was needed.",
    ]


def test_claims_are_exactly_the_sentences_and_carry_their_paragraph_index():
    text = "First one. Second one.\n\n## Subhead\n\nThird one."
    claims = extract_claims(text)
    assert [(c.start, c.end) for c in claims] == split_sentences(text)
    assert [c.paragraph for c in claims] == [0, 0, 2]


def test_body_start_skips_date_line_headline_and_subheadline():
    text = (
        " date 2026-01-04 World News\n\n"
        "North Korea launches missiles\n\n"
        "North Korea sends missiles\n\n"
        "South Korea said it detected a launch."
    )
    assert text[body_start(text) :] == "South Korea said it detected a launch."


def test_body_start_is_zero_without_a_date_header():
    assert body_start("South Korea said it detected a launch.") == 0
    assert body_start("") == 0


def test_body_start_keeps_a_multi_line_block_as_body():
    text = "date 2026-01-04 World\n\nHeadline\n\nFirst line\nsecond line of body."
    assert text[body_start(text) :] == "First line\nsecond line of body."


def test_body_start_of_a_header_without_body_is_the_end_of_the_text():
    text = "date 2026-01-04 World\n\nHeadline\n\nSubheadline\n"
    assert body_start(text) == len(text)
