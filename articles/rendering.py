"""Article body: Markdown-style text to safe HTML.

Two layers keep pasted HTML and script inert: markdown-it runs with raw HTML
off (it escapes tags and refuses ``javascript:`` links) and nh3 then keeps only
an allow-list of tags, attributes and URL schemes.

Every top-level block gets ``id="p<N>"``, where N counts the body's blocks
(runs of text separated by blank lines) from 0: the same numbering claims use
to point at a paragraph, see ``paragraph_spans``.

Markers (e.g. claim footnotes) are placed at character offsets of the source
text: a private-use sentinel is inserted before rendering, passes through
Markdown and nh3 as plain text, and is replaced by the marker's HTML after.
"""

import bisect
import itertools
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
)

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "em",
    "strong",
    "a",
    "blockquote",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "br",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "*": {"id"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_OPEN, _CLOSE = "\ue000", "\ue001"
_SENTINEL = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Character spans of the body's blocks (text separated by blank lines)."""
    spans = []
    start = 0
    for gap in _BLANK_LINES.finditer(body):
        if body[start : gap.start()].strip():
            spans.append((start, gap.start()))
        start = gap.end()
    if body[start:].strip():
        spans.append((start, len(body)))
    return spans


def paragraph_locator(body: str):
    """A function from a body offset to the index of its block (computed once)."""
    starts = [start for start, _ in paragraph_spans(body)]

    def paragraph_of(offset: int) -> int:
        return max(bisect.bisect_right(starts, offset) - 1, 0)

    return paragraph_of


def _with_sentinels(body: str, markers: dict[int, int]) -> str:
    """Insert sentinel N at each ``offset -> N``. Sentinel characters already in
    the text become spaces (same length, so offsets hold): input cannot fake one."""
    text = body.replace(_OPEN, " ").replace(_CLOSE, " ")
    for offset in sorted(markers, reverse=True):
        text = f"{text[:offset]}{_OPEN}{markers[offset]}{_CLOSE}{text[offset:]}"
    return text


def render_body(
    body: str, markers: dict[int, int] | None = None, marker_html=None
) -> SafeString:
    """Render the body to sanitised HTML with a stable id on every block.

    ``markers`` maps source offsets to numbers; ``marker_html(number)`` gives
    the (trusted) HTML put there.
    """
    normalised = (
        _with_sentinels(body, markers or {}).replace("\r\n", "\n").replace("\r", "\n")
    )
    tokens = _markdown.parse(normalised)
    # Blocks are numbered exactly as claims count them (paragraph_spans).
    paragraph_of = paragraph_locator(normalised)
    line_starts = list(
        itertools.accumulate(
            (len(line) + 1 for line in normalised.split("\n")), initial=0
        )
    )
    for token in tokens:
        if token.level == 0 and token.nesting == 1 and token.map:
            token.attrSet("id", f"p{paragraph_of(line_starts[token.map[0]])}")
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    if markers and marker_html is not None:
        cleaned = _SENTINEL.sub(lambda match: marker_html(int(match.group(1))), cleaned)
    return mark_safe(cleaned)
