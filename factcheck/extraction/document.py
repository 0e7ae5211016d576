"""Document layout: the seed file header and the blocks of a Markdown-ish body.

A body is a series of paragraphs separated by blank lines. Inside a paragraph,
each line that starts with a Markdown marker (``#`` heading, ``>`` blockquote,
``-``/``*``/``+``/``1.`` list item) begins its own segment whose span starts after
the marker, so a marker never ends up inside a sentence.
"""

import re
from dataclasses import dataclass

_DATE_LINE = re.compile(r"\s*date[ \t]+\d{4}-\d{2}-\d{2}\b[^\n]*")
_MARKER = re.compile(
    r"[ \t]*(?:(#{1,6})(?=[ \t]|$)|(>)|([-*+]|\d{1,3}[.)])(?=[ \t]))[ \t]*"
)
_TERMINAL = re.compile(r"[.!?\u2026:][\"'\u201d\u2019)\]*_]*\s*$")
_HAS_WORD = re.compile(r"\w")
# A quotation signed with a dash and a name ("... early.”― Marta Lind").
_SIGNED_QUOTE = re.compile('["\u201d][ \t\u00a0]*[\u2014\u2015\u2013]')
# A caption: a sentence, then its credit line ("... (AP Photo/Ahn Young-joon)").
_CAPTION_CREDIT = re.compile(r"[.!?][\"'\u201d\u2019]*\s+\([^()\n]+\)$")
_WORD = re.compile(r"\S+")
_MAX_HEADER_WORDS = 40
_MAX_SUBHEAD_WORDS = 12


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of body text that sentences never cross."""

    start: int
    end: int
    paragraph: int
    heading: bool


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    index: int


def body_start(text: str) -> int:
    """Offset where the body starts in a file in the seed format.

    The header is a ``date YYYY-MM-DD Section`` line, then the headline and the
    subheadline, each a one-line block. Returns 0 when the text does not open with
    such a date line; a header line that is a multi-line or long block is taken as
    body. Never raises; the result is always within ``0..len(text)``.
    """
    match = _DATE_LINE.match(text)
    if match is None:
        return 0
    pos = match.end()
    for _ in range(2):  # headline, then subheadline
        block = _next_block(text, pos)
        if block is None or not _is_header_line(text[block[0] : block[1]]):
            break
        pos = block[1]
    return _skip_space(text, pos)


def paragraphs(text: str) -> list[Paragraph]:
    """Blocks of non-blank lines, with their 0-based index."""
    found = []
    pos = _skip_space(text, 0)
    while pos < len(text):
        block = _next_block(text, pos)
        if block is None:
            break
        found.append(Paragraph(block[0], block[1], len(found)))
        pos = block[1]
    return found


def segments(text: str) -> list[Segment]:
    """Segments of every paragraph, marker-free, flagged when they are headings."""
    result: list[Segment] = []
    for para in paragraphs(text):
        parts = list(_paragraph_segments(text, para))
        if len(parts) == 1 and _looks_like_subhead(text, parts[0]):
            parts = [Segment(parts[0].start, parts[0].end, para.index, True)]
        result.extend(
            part for part in parts if _HAS_WORD.search(text, part.start, part.end)
        )
    return result


def _paragraph_segments(text: str, para: Paragraph):
    """Split a paragraph at lines that open with a Markdown marker."""
    seg_start = None
    seg_heading = False
    joinable = False  # plain lines continue a plain or list segment, not a quote
    seg_end = para.start
    for line_start, line_end in _lines(text, para.start, para.end):
        marker = _MARKER.match(text, line_start, line_end)
        if marker is None and seg_start is not None and joinable:
            seg_end = line_end
            continue
        if seg_start is not None:
            yield Segment(
                seg_start, _rstrip(text, seg_start, seg_end), para.index, seg_heading
            )
        content = marker.end() if marker else _skip_space(text, line_start, line_end)
        seg_start, seg_end = content, line_end
        seg_heading = bool(marker and marker.group(1))
        joinable = marker is None or bool(marker.group(3))
    if seg_start is not None and seg_start < seg_end:
        yield Segment(
            seg_start, _rstrip(text, seg_start, seg_end), para.index, seg_heading
        )


def _looks_like_subhead(text: str, seg: Segment) -> bool:
    """A short one-line block without final punctuation (. ! ? … or a lead-in
    colon) is a subhead."""
    chunk = text[seg.start : seg.end]
    if seg.heading or "\n" in chunk:
        return seg.heading
    words = len(_WORD.findall(chunk))
    if _CAPTION_CREDIT.search(chunk) or _SIGNED_QUOTE.search(chunk):
        return False
    return words <= _MAX_SUBHEAD_WORDS and _TERMINAL.search(chunk) is None


def _is_header_line(block: str) -> bool:
    return "\n" not in block.strip() and len(block.split()) <= _MAX_HEADER_WORDS


def _next_block(text: str, pos: int) -> tuple[int, int] | None:
    """The next block of non-blank lines at or after ``pos`` (trimmed span)."""
    start = _skip_space(text, pos)
    if start >= len(text):
        return None
    end = start
    for line_start, line_end in _lines(text, start, len(text)):
        if not text[line_start:line_end].strip():
            break
        end = line_end
    return start, _rstrip(text, start, end)


def _lines(text: str, start: int, end: int):
    """(start, end) of each line in ``text[start:end]``, without the newline."""
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline
        yield pos, line_end
        pos = line_end + 1


def _skip_space(text: str, pos: int, end: int | None = None) -> int:
    end = len(text) if end is None else end
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
