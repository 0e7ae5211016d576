"""Odd input never raises and keeps every offset in bounds."""

import pytest

from factcheck.extraction import (
    RegistryEntry,
    SourceRegistry,
    body_start,
    extract_claims,
    split_sentences,
)

REGISTRY = SourceRegistry(
    [RegistryEntry("kcna", "Korean Central News Agency", ("KCNA",), "state_media")]
)

FULLWIDTH = "".join(chr(ord(letter) + 0xFEE0) for letter in "Fullwidth")
HOSTILE = [
    "",
    "   \n\n\t  ",
    ".",
    "\u201c",
    '"',
    '"Unclosed quote said KCNA. And on it goes,',
    "\u201cNested \u201copen quotes\u201d and a stray \u201d closing one.\u201d",
    "\u201dBackwards quotes\u201c said it.",
    "word " * 10_000,
    "said " * 2_000,
    "a." * 5_000,
    ", , , said , , ,",
    "According to",
    "KCNA cited",
    "as cited by",
    "It said.",
    "> \n> \n- \n# \n1. ",
    "\u200b\u200bZero width\u200b said KCNA.\u00a0Next\u2028line.",
    "\U0001f600 emoji said \U0001f680. \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc.",
    FULLWIDTH + " said " + FULLWIDTH + ". \u6f22\u5b57\u306f\u8a00\u3063\u305f\u3002",
    "e\u0301te\u0301 said cafe\u0301.\r\n\r\nWindows lines said KCNA.\r\n",
    "\x00\x1a\x1a said \x1a.",
    "date 2026-01-04\n\n\n\n",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_odd_input_never_raises_and_spans_stay_in_bounds(text):
    for claim in extract_claims(text, REGISTRY):
        assert 0 <= claim.start < claim.end <= len(text)
        assert claim.text == text[claim.start : claim.end]
        assert claim.kind in {"direct", "indirect", "none"}
        for start, end in [
            (claim.speaker_start, claim.speaker_end),
            (claim.channel_start, claim.channel_end),
        ]:
            if start is not None:
                assert end is not None and 0 <= start < end <= len(text)
        if claim.speaker is not None:
            assert claim.speaker == text[claim.speaker_start : claim.speaker_end]
    for start, end in split_sentences(text):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
    assert 0 <= body_start(text) <= len(text)


def test_fifty_kilobytes_without_punctuation_is_one_claim():
    text = ("word " * 10_000).strip()
    (claim,) = extract_claims(text)
    assert (claim.start, claim.end, claim.kind) == (0, len(text), "none")
