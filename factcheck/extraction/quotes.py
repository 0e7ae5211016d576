"""Quotation regions of a body text, and a copy of the text with quotes masked.

Double quotes only: single quotes are nested quotes or apostrophes, except a
pair of them (``''``), which some wires use as a double quote. Straight quotes
toggle; curly ones say which way they face. A quote still open at the end
of a paragraph continues when the next paragraph opens with a quote mark (the
wire-copy convention for a quotation running over several paragraphs); both parts
then share a ``chain`` number. Otherwise it is closed at the paragraph's end.
"""

import bisect
import re
from dataclasses import dataclass

from .document import Paragraph
from .lexicon import CLOSE_QUOTES, OPEN_QUOTES, STRAIGHT_QUOTE

MASK = "\x1a"
_LINE_MARKER = re.compile(r"(?:[>\s]|[-*+](?=\s))*")
_DOUBLED_APOSTROPHE = re.compile(r"''")
_FILLER = "\u2060"  # word joiner: keeps ``''`` two characters wide once rewritten
_MARK = re.compile("[" + re.escape(OPEN_QUOTES + CLOSE_QUOTES + STRAIGHT_QUOTE) + "]")


@dataclass(frozen=True, slots=True)
class Quote:
    """``text[start:end]`` is the quotation, marks included when present."""

    start: int
    end: int
    chain: int


class QuoteMap:
    """Quotation regions of ``text`` and lookups by position."""

    def __init__(self, text: str, paras: list[Paragraph]) -> None:
        if "''" in text:
            text = _DOUBLED_APOSTROPHE.sub(_as_double_quote, text)
        self.quotes = _find_quotes(text, paras)
        self._starts = [quote.start for quote in self.quotes]
        self.masked = _mask(text, self.quotes)

    def at(self, pos: int) -> Quote | None:
        """The quotation covering ``pos``, if any."""
        index = bisect.bisect_right(self._starts, pos) - 1
        if index >= 0 and pos < self.quotes[index].end:
            return self.quotes[index]
        return None

    def overlapping(self, start: int, end: int) -> list[Quote]:
        """Quotations that share at least one character with ``[start, end)``."""
        index = max(bisect.bisect_right(self._starts, start) - 1, 0)
        found = []
        for quote in self.quotes[index:]:
            if quote.start >= end:
                break
            if quote.end > start:
                found.append(quote)
        return found


def _as_double_quote(match: re.Match[str]) -> str:
    """ "''" as a straight double quote, its filler on the quoted side, so that
    the filler is masked with the quotation and offsets do not move."""
    text, pos = match.string, match.start()
    opening = pos == 0 or text[pos - 1].isspace() or text[pos - 1] in "([\u2014"
    return '"' + _FILLER if opening else _FILLER + '"'


def _find_quotes(text: str, paras: list[Paragraph]) -> list[Quote]:
    quotes: list[Quote] = []
    chains = 0
    carried: int | None = None  # chain continued from the previous paragraph
    for number, para in enumerate(paras):
        open_at: int | None = None
        chain = 0
        for match in _MARK.finditer(text, para.start, para.end):
            pos, mark = match.start(), match.group()
            if open_at is None:
                if _opens(text, pos, mark, para.end):
                    open_at = pos
                    if (
                        carried is not None
                        and pos == _LINE_MARKER.match(text, para.start).end()
                    ):
                        chain = carried
                    else:
                        chains += 1
                        chain = chains
            elif mark in OPEN_QUOTES:  # an unclosed quote before a new one
                quotes.append(Quote(open_at, pos, chain))
                chains += 1
                open_at, chain = pos, chains
            else:
                quotes.append(Quote(open_at, pos + 1, chain))
                open_at = None
            carried = None
        carried = None
        if open_at is not None:
            quotes.append(Quote(open_at, para.end, chain))
            if number + 1 < len(paras) and _opens_with_quote(text, paras[number + 1]):
                carried = chain
    return quotes


def _opens(text: str, pos: int, mark: str, end: int) -> bool:
    """Whether a mark met outside any quotation opens one."""
    if mark in CLOSE_QUOTES:
        return False
    return pos + 1 < end and not text[pos + 1].isspace()


def _opens_with_quote(text: str, para: Paragraph) -> bool:
    first = _LINE_MARKER.match(text, para.start, para.end).end()
    return first < para.end and (
        text[first] in OPEN_QUOTES or text[first] == STRAIGHT_QUOTE
    )


def _mask(text: str, quotes: list[Quote]) -> str:
    """``text`` with every quoted character (not the marks) replaced by MASK."""
    pieces = []
    pos = 0
    for quote in quotes:
        inner_start = quote.start + 1
        inner_end = quote.end - 1 if _is_mark(text, quote.end - 1) else quote.end
        inner_end = max(inner_end, inner_start)
        pieces.append(text[pos:inner_start])
        pieces.append(MASK * (inner_end - inner_start))
        pos = inner_end
    pieces.append(text[pos:])
    return "".join(pieces)


def _is_mark(text: str, pos: int) -> bool:
    return text[pos] in CLOSE_QUOTES or text[pos] == STRAIGHT_QUOTE
