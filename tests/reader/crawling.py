"""Crawl the public site as an anonymous reader does: every link it offers."""

import re
from html.parser import HTMLParser

from django.conf import settings

START = (
    "/",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/feeds/latest/",
    "/robots.txt",
    "/corrections/",
    "/methodology/",
)
# The public API, whose JSON links (absolute, on SITE_URL) are followed too.
API_START = (
    "/api/v1/stories/",
    "/api/v1/sources/",
    "/api/v1/sections/",
    "/api/v1/tags/",
    "/api/v1/corrections/",
    "/api/v1/claim-reviews/",
)
# Not pages: the staff's side, and files (static and uploaded pictures).
_NOT_PUBLIC = ("/admin", "/desk", "/static", "/media")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.links.append(value)


def links_in(text: str) -> list[str]:
    """Site-relative links of a page, feed or sitemap, without fragments."""
    parser = _Links()
    parser.feed(text)
    found = parser.links + re.findall(r"<(?:loc|id)>https?://[^/<]+(/[^<]*)</", text)
    found += re.findall(r'<link[^>]+href="https?://[^/"]+(/[^"]*)"', text)
    found += re.findall(re.escape(settings.SITE_URL) + r'(/[^"#\s]*)', text)
    return [
        link.split("#")[0]
        for link in found
        if link.startswith("/") and not link.startswith(_NOT_PUBLIC)
    ]


def crawl(client, start=START, *, limit: int = 400) -> dict:
    """Every public URL reachable from ``start``: its response, by URL."""
    queue, seen = list(start), {}
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen:
            continue
        response = seen[url] = client.get(url)
        if response.status_code == 200:
            queue += links_in(response.content.decode())
    return seen
