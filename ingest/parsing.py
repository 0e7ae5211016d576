"""Agency feeds to items: RSS and Atom (feedparser), IPTC ninjs 1.x and 2.x
JSON, and IPTC NewsML-G2 text items.

Pure functions of the bytes received: a feed that cannot be read at all
raises ``FeedUnreadable``; an item that cannot be used is reported in the
result's ``problems`` and the others are still taken.
"""

import calendar
import datetime
import hashlib
import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from html.parser import HTMLParser

import feedparser
from django.core.exceptions import ValidationError

from newsroom.hygiene import strip_control_characters, validate_sane_date

_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_NEWSML = "{http://iptc.org/std/nar/2006-10-01/}"
_XHTML = "{http://www.w3.org/1999/xhtml}"


class FeedUnreadable(Exception):
    """Not a feed this reader understands, or broken beyond use."""


@dataclass(frozen=True)
class AgencyItem:
    guid: str
    version: str  # changes whenever the agency changes the item
    headline: str
    summary: str
    body: str  # paragraphs separated by blank lines
    published: datetime.datetime | None = None
    dateline: str = ""
    withdrawn: bool = False  # the agency killed it


@dataclass
class Parsed:
    items: list[AgencyItem] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # guid, message


def clean(text: str) -> str:
    """One line of text: controls out, runs of spaces as one."""
    return _SPACES.sub(" ", strip_control_characters(text or "")).strip()


class _Paragraphs(HTMLParser):
    _BLOCKS = {
        "p", "div", "br", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
        "tr", "section", "article", "pre", "ul", "ol", "table",
    }  # fmt: skip
    _SKIPPED = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def _end_paragraph(self):
        text = clean("".join(self._current))
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        tag = tag.rpartition(":")[2]  # XHTML from NewsML carries a prefix
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self._end_paragraph()

    def handle_endtag(self, tag):
        tag = tag.rpartition(":")[2]
        if tag in self._SKIPPED:
            self._skipping = max(self._skipping - 1, 0)
        elif tag in self._BLOCKS:
            self._end_paragraph()

    def handle_data(self, data):
        if not self._skipping:
            self._current.append(data)


def html_to_text(html: str) -> str:
    """Agency HTML as plain paragraphs separated by blank lines (no markup)."""
    parser = _Paragraphs()
    parser.feed(html or "")
    parser.close()
    parser._end_paragraph()
    return "\n\n".join(parser.paragraphs)


def plain_to_text(text: str) -> str:
    """Plain agency text: paragraphs kept, each cleaned."""
    paragraphs = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))
    return "\n\n".join(p for p in (clean(p) for p in paragraphs) if p)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _item(
    *, guid, version, headline, summary, body, published, dateline="", withdrawn=False
) -> AgencyItem:
    guid, headline = clean(guid), clean(headline)
    if not guid:
        raise ValueError("the item has no identifier (guid, id or uri)")
    if len(guid) > 500:
        raise ValueError("the item's identifier is longer than 500 characters")
    if not headline and not withdrawn:
        raise ValueError("the item has no headline")
    body = body or summary
    if not body and not withdrawn:
        raise ValueError("the item has no text")
    if published is not None:
        try:
            validate_sane_date(published)
        except ValidationError as error:
            raise ValueError(f"its date: {error.messages[0]}") from None
    version = clean(version)[:200] or _digest(headline, summary, body)
    return AgencyItem(
        guid=guid,
        version=version,
        headline=headline,
        summary=summary if summary != body else "",
        body=body,
        published=published,
        dateline=clean(dateline),
        withdrawn=withdrawn,
    )


def _collect(parsed: Parsed, guid: str, make) -> None:
    try:
        parsed.items.append(make())
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        parsed.problems.append((clean(str(guid))[:500], f"item skipped: {error}"))


# ---------------------------------------------------------------- RSS, Atom


def _struct_time(value) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromtimestamp(calendar.timegm(value), datetime.UTC)


def parse_rss(content: bytes) -> Parsed:
    feed = feedparser.parse(content)
    if not feed.entries and (feed.bozo or not feed.get("version")):
        # An empty feed is fine; a page with no version and no entries is not one.
        detail = f": {feed.bozo_exception}" if feed.bozo else ""
        raise FeedUnreadable(f"not an RSS or Atom feed{detail}")
    parsed = Parsed()
    for entry in feed.entries:
        guid = entry.get("id") or entry.get("link") or ""

        def make(entry=entry, guid=guid):
            content = entry.get("content") or []
            body_html = content[0].get("value", "") if content else ""
            return _item(
                guid=guid,
                version="",  # a digest of the text: RSS dates say too little
                headline=html_to_text(entry.get("title", "")),
                summary=html_to_text(entry.get("summary", "")),
                body=html_to_text(body_html),
                published=_struct_time(
                    entry.get("published_parsed") or entry.get("updated_parsed")
                ),
            )

        _collect(parsed, guid, make)
    return parsed


# ---------------------------------------------------------------- ninjs


def _first(values, role: str = "") -> dict:
    values = [v for v in values or [] if isinstance(v, dict)]
    chosen = [v for v in values if v.get("role") == role] if role else []
    return (chosen or values or [{}])[0]


def _ninjs_text(part: dict) -> str:
    value = str(part.get("value", ""))
    if "html" in str(part.get("contenttype", "")):
        return html_to_text(value)
    return plain_to_text(value)


def _moment(value) -> datetime.datetime | None:
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _ninjs_item(doc: dict) -> AgencyItem:
    """An item of ninjs 2.x (headlines, bodies...) or 1.x (headline, body_text...)."""
    if "headlines" in doc or "bodies" in doc:
        headline = _ninjs_text(_first(doc.get("headlines"), "main"))
        summary = _ninjs_text(_first(doc.get("descriptions"), "summary"))
        body = _ninjs_text(_first(doc.get("bodies"), "main"))
    else:
        headline = clean(str(doc.get("headline", "")))
        summary = plain_to_text(str(doc.get("description_text", "")))
        body = (
            html_to_text(str(doc["body_html"]))
            if doc.get("body_html")
            else plain_to_text(str(doc.get("body_text", "")))
        )
    return _item(
        guid=str(doc.get("uri", "")),
        version=str(doc.get("version") or doc.get("versioncreated") or ""),
        headline=headline,
        summary=summary,
        body=body,
        published=_moment(doc.get("firstcreated") or doc.get("versioncreated")),
        dateline=str(doc.get("located", "")),
        withdrawn=doc.get("pubstatus") in {"canceled", "withheld"},
    )


def parse_ninjs(content: bytes) -> Parsed:
    """One ninjs object, a list of them, or ``{"items": [...]}`` (each item a
    ninjs object or ``{"item": ninjs}``)."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedUnreadable(f"not JSON: {error}") from None
    if isinstance(data, dict):
        data = data.get("items", [data]) if "uri" not in data else [data]
    if not isinstance(data, list):
        raise FeedUnreadable("not a ninjs item or a list of them")
    parsed = Parsed()
    for entry in data:
        doc = entry.get("item", entry) if isinstance(entry, dict) else entry
        guid = doc.get("uri", "") if isinstance(doc, dict) else ""
        _collect(parsed, str(guid), lambda doc=doc: _ninjs_item(doc))
    return parsed


# ---------------------------------------------------------------- NewsML-G2


def _text_of(element) -> str:
    return clean("".join(element.itertext())) if element is not None else ""


def _newsml_body(item) -> str:
    inline = item.find(f"{_NEWSML}contentSet/{_NEWSML}inlineXML")
    if inline is not None:
        body = inline.find(f".//{_XHTML}body")
        root = body if body is not None else inline
        return html_to_text(ElementTree.tostring(root, encoding="unicode"))
    data = item.find(f"{_NEWSML}contentSet/{_NEWSML}inlineData")
    return plain_to_text("".join(data.itertext())) if data is not None else ""


def _newsml_item(item) -> AgencyItem:
    meta = item.find(f"{_NEWSML}itemMeta")
    content = item.find(f"{_NEWSML}contentMeta")
    status = meta.find(f"{_NEWSML}pubStatus") if meta is not None else None

    def meta_text(name):
        return _text_of(meta.find(f"{_NEWSML}{name}")) if meta is not None else ""

    def content_text(name):
        return _text_of(content.find(f"{_NEWSML}{name}")) if content is not None else ""

    return _item(
        guid=item.get("guid", ""),
        version=item.get("version", ""),
        headline=content_text("headline"),
        summary=content_text("description"),
        body=_newsml_body(item),
        published=_moment(meta_text("firstCreated") or meta_text("versionCreated")),
        dateline=content_text("dateline"),
        withdrawn=status is not None
        and status.get("qcode", "") in {"stat:canceled", "stat:withheld"},
    )


def parse_newsml(content: bytes) -> Parsed:
    """A NewsML-G2 newsItem, or a newsMessage of them (text items only)."""
    if b"<!DOCTYPE" in content[:2000].upper():
        # No entity tricks: a news item has no use for a document type.
        raise FeedUnreadable("NewsML documents with a DOCTYPE are refused")
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise FeedUnreadable(f"not XML: {error}") from None
    if root.tag == f"{_NEWSML}newsItem":
        items = [root]
    elif root.tag == f"{_NEWSML}newsMessage":
        items = root.findall(f".//{_NEWSML}newsItem")
    else:
        raise FeedUnreadable("not a NewsML-G2 newsItem or newsMessage")
    parsed = Parsed()
    for item in items:
        _collect(parsed, item.get("guid", ""), lambda item=item: _newsml_item(item))
    return parsed


# ---------------------------------------------------------------- any


def _detect(content: bytes) -> str:
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:2000]
    if start[:1] in (b"{", b"["):
        return "ninjs"
    if b"iptc.org/std/nar/2006-10-01" in start and (
        b"<newsItem" in start or b"<newsMessage" in start or b":newsItem" in start
    ):
        return "newsml"
    return "rss"


def parse_feed(content: bytes, declared: str = "auto") -> Parsed:
    """The items of a feed in the ``declared`` format ("auto" to detect it)."""
    kind = _detect(content) if declared == "auto" else declared
    reader = {"rss": parse_rss, "ninjs": parse_ninjs, "newsml": parse_newsml}[kind]
    return reader(content)
