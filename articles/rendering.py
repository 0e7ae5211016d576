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

Pictures from the library: a block that is nothing but

    ![Alt text](picture:42 "Caption, shown under it")

shows picture 42 there (``picture_references``). The alt text may be left
empty (``![](picture:42)``: the library's is used), and so may the caption
(with its quotes); a caption holds no straight double quote (use “ ”). The
caption is body text, so claims anchor in it like in any sentence. The caller
gives ``figure_html`` the HTML of the figure (trusted: it is not cleaned);
without one, the block shows its caption as a paragraph.
"""

import bisect
import itertools
import re
from dataclasses import dataclass

import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

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
_FIGURE_OPEN, _FIGURE_CLOSE = "\ue002", "\ue003"
_FIGURE = re.compile(f'<p id="p(\\d+)">{_FIGURE_OPEN}(\\d+){_FIGURE_CLOSE}</p>')
_PICTURE_BLOCK = re.compile(
    r"!\[(?P<alt>[^\]\n]*)\]"
    r'\(picture:(?P<id>\d{1,18})(?:[ \t]+"(?P<caption>[^"\n]*)")?\)'
)


@dataclass(frozen=True)
class PictureReference:
    """A picture block of the body: which picture, and the words around it."""

    picture_id: int
    alt: str
    caption: str
    caption_start: int  # offsets of the caption in the body (equal when none)
    caption_end: int
    block: int  # the index of its block, as in ``paragraph_spans``


def _picture_block(text: str):
    return _PICTURE_BLOCK.fullmatch(text.strip())


def picture_references(body: str) -> list[PictureReference]:
    """The picture blocks of ``body``, in order."""
    references = []
    for block, (start, end) in enumerate(paragraph_spans(body)):
        text = body[start:end]
        match = _picture_block(text)
        if match is None:
            continue
        offset = start + len(text) - len(text.lstrip())
        caption = match.group("caption") or ""
        caption_at = offset + (match.start("caption") if caption else match.end())
        references.append(
            PictureReference(
                picture_id=int(match.group("id")),
                alt=match.group("alt").strip(),
                caption=caption,
                caption_start=caption_at,
                caption_end=caption_at + len(caption),
                block=block,
            )
        )
    return references


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
    text = body
    for sentinel in (_OPEN, _CLOSE, _FIGURE_OPEN, _FIGURE_CLOSE):
        text = text.replace(sentinel, " ")
    for offset in sorted(markers, reverse=True):
        text = f"{text[:offset]}{_OPEN}{markers[offset]}{_CLOSE}{text[offset:]}"
    return text


def render_body(
    body: str, markers: dict[int, int] | None = None, marker_html=None, figure_html=None
) -> SafeString:
    """Render the body to sanitised HTML with a stable id on every block.

    ``markers`` maps source offsets to numbers; ``marker_html(number)`` gives
    the (trusted) HTML put there. ``figure_html(reference, block_id)`` gives
    the (trusted) HTML of a picture block; the caption it is handed may hold
    marker sentinels, to be kept as text (they become markers after).
    """
    normalised = (
        _with_sentinels(body, markers or {}).replace("\r\n", "\n").replace("\r", "\n")
    )
    tokens = _markdown.parse(normalised)
    # Blocks are numbered exactly as claims count them (paragraph_spans).
    paragraph_of = paragraph_locator(normalised)
    lines = normalised.split("\n")
    line_starts = list(
        itertools.accumulate((len(line) + 1 for line in lines), initial=0)
    )
    figures: list[re.Match] = []
    for index, token in enumerate(tokens):
        if token.level == 0 and token.nesting == 1 and token.map:
            token.attrSet("id", f"p{paragraph_of(line_starts[token.map[0]])}")
            start, end = token.map
            match = token.type == "paragraph_open" and _picture_block(
                "\n".join(lines[start:end])
            )
            if match:
                _replace_inline(tokens[index + 1], f"{_FIGURE_OPEN}{len(figures)}")
                figures.append(match)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    if figures:
        cleaned = _FIGURE.sub(
            lambda found: _figure(
                figures[int(found.group(2))], f"p{found.group(1)}", figure_html
            ),
            cleaned,
        )
    if markers and marker_html is not None:
        cleaned = _SENTINEL.sub(lambda match: marker_html(int(match.group(1))), cleaned)
    return mark_safe(cleaned)


def _replace_inline(inline: Token, text: str) -> None:
    placeholder = Token("text", "", 0)
    placeholder.content = f"{text}{_FIGURE_CLOSE}"
    inline.children = [placeholder]


def _figure(match: re.Match, block_id: str, figure_html) -> str:
    """The HTML of a picture block (``match`` of ``_PICTURE_BLOCK``)."""
    caption = match.group("caption") or ""
    if figure_html is None:
        return format_html('<p id="{}">{}</p>', block_id, caption) if caption else ""
    reference = PictureReference(
        picture_id=int(match.group("id")),
        alt=_SENTINEL.sub("", match.group("alt")).strip(),
        caption=caption,
        caption_start=0,  # offsets of the sentinel-marked text: not the body's
        caption_end=0,
        block=int(block_id[1:]),
    )
    return figure_html(reference, block_id)
