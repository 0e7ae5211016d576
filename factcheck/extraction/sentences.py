"""Sentence splitting for news copy."""

import re

from .document import Segment, segments
from .lexicon import (
    ABBREVIATIONS,
    NUMBER_ABBREVIATIONS,
    OPEN_QUOTES,
    QUOTE_ONLY_VERBS,
    SENTENCE_STARTERS,
    SPEECH_VERBS,
    STRAIGHT_QUOTE,
)

# A run of terminators and the closing quotes/brackets glued to it, before a space.
_CANDIDATE = re.compile(r"(?:[.!?]+|\u2026)[\"'\u201d\u2019\u00bb)\]]*(?=\s)")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")
_LEADING_PUNCT = "\"'([{\u201c\u2018\u00ab"
_OPENERS = OPEN_QUOTES + STRAIGHT_QUOTE + "\u2018"
_NEXT_WORD = re.compile(r"[^\W\d_]+")
# "(AP Photo/Ahn Young-joon)": a caption's credit line stays with the caption.
_CREDIT = re.compile(
    r"\((?:[\w.&'-]+\s+){0,4}(?:Photo|Photos|Photograph|Image|Images|Video|Pool)\b"
    r"[^()\n]{0,80}\)",
    re.IGNORECASE,
)
# "“Why now?” Kim asked.": a short tag after a question or exclamation in
# quotation marks belongs to it.
_QUOTED_QUESTION = re.compile(r"[?!][\"\u201d\u00bb']+")
_TAG_CHARS, _TAG_WORDS = 60, 5
_TAG_WORD = re.compile(r"[A-Za-z]+")
# "wrote on X." ends a sentence: X is the platform, not an initial.
_PLATFORM_X = re.compile(r"\b(?:on|to|via)\s+X$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of a body text, whitespace-trimmed.

    Sentences never cross a paragraph or a Markdown line marker, and spans start
    after such markers. Headings (``#`` lines, short one-line paragraphs without
    final punctuation) and blocks without any letter or digit are not sentences.
    Handles abbreviations (U.S., a.m., Dec., Dr., No. 2, initials), decimals,
    ellipses and quotes (a sentence ending ``.”`` ends after the quote mark).
    """
    spans: list[tuple[int, int]] = []
    for segment in segments(text):
        if not segment.heading:
            spans.extend(segment_sentences(text, segment))
    return spans


def segment_sentences(text: str, segment: Segment) -> list[tuple[int, int]]:
    """Sentence spans inside one segment."""
    spans = []
    start = segment.start
    for match in _CANDIDATE.finditer(text, segment.start, segment.end):
        after = _skip_space(text, match.end(), segment.end)
        if after >= segment.end or not _is_boundary(text, match, after):
            continue
        spans.append((start, match.end()))
        start = after
    spans.append((start, segment.end))
    return [span for span in spans if _has_word(text, span)]


def _is_boundary(text: str, match: re.Match[str], after: int) -> bool:
    """Whether the terminator ``match`` ends a sentence, given what follows."""
    following = text[after]
    if _CREDIT.match(text, after):
        return False
    if match.group() != ".":
        return not following.islower() and not _is_tag(text, match, after)
    word = _word_before(text, match.start())
    if word == "X" and _PLATFORM_X.search(text, 0, match.start()):
        return not following.islower()
    if word.lower() in NUMBER_ABBREVIATIONS:
        return not following.isdigit() and not following.islower()
    if _ACRONYM.fullmatch(word) or word.lower() in ABBREVIATIONS:
        if following in _OPENERS:
            return True
        next_word = _NEXT_WORD.match(text, after)
        return (
            next_word is not None
            and following.isupper()
            and next_word.group().lower() in SENTENCE_STARTERS
        )
    return not following.islower()


def _is_tag(text: str, match: re.Match[str], after: int) -> bool:
    """Whether what follows a quoted question is its "X asked." tag."""
    if _QUOTED_QUESTION.fullmatch(match.group()) is None:
        return False
    line_end = text.find("\n", after)
    tag = text[
        after : after + _TAG_CHARS
        if line_end < 0
        else min(line_end, after + _TAG_CHARS)
    ]
    words = [word.lower() for word in _TAG_WORD.findall(tag)][:_TAG_WORDS]
    return any(word in SPEECH_VERBS or word in QUOTE_ONLY_VERBS for word in words)


def _word_before(text: str, period: int) -> str:
    """The word right before the period at ``text[period]``."""
    begin = period
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:period].lstrip(_LEADING_PUNCT)


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _has_word(text: str, span: tuple[int, int]) -> bool:
    return any(ch.isalnum() for ch in text[span[0] : span[1]])
