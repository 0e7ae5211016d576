from html.parser import HTMLParser

import pytest

from articles.rendering import ALLOWED_TAGS, paragraph_spans, render_body


class _Elements(HTMLParser):
    """Every element the browser would build from the HTML, with its attributes."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<p style="x" onclick="alert(1)">broken <b>markup',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_input_never_becomes_live_markup(body):
    html = render_body(f"Before.\n\n{body}\n\nAfter.")
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        href = attrs.get("href", "").strip().lower()
        assert href == "" or href.startswith(("http://", "https://", "mailto:"))
    assert "Before." in html and "After." in html  # the text around it survives


def test_markdown_features_render_to_semantic_html():
    html = render_body(
        "Para with *emphasis*, **strong** and [a link](https://example.org).\n\n"
        "## A subhead\n\n> A block quote\n\n- one\n- two"
    )
    assert (
        '<p id="p0">Para with <em>emphasis</em>, <strong>strong</strong> and ' in html
    )
    assert (
        '<a href="https://example.org" rel="noopener noreferrer nofollow">a link</a>'
        in html
    )
    assert '<h2 id="p1">A subhead</h2>' in html
    assert '<blockquote id="p2">' in html and '<ul id="p3">' in html


def test_paragraph_ids_follow_the_blocks_claims_point_at():
    body = "First para.\nsame para.\n\n\n\nSecond para.\n\nThird."
    spans = paragraph_spans(body)
    assert [body[s:e] for s, e in spans] == [
        "First para.\nsame para.",
        "Second para.",
        "Third.",
    ]
    html = render_body(body)
    assert html.count('id="p') == 3 and '<p id="p2">Third.</p>' in html


def test_empty_body_renders_nothing():
    assert render_body("") == "" and paragraph_spans("  \n\n ") == []
