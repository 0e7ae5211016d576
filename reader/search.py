"""Search over published stories.

PostgreSQL: full-text search over ``Article.search_document`` (headline
weighted above standfirst above body, kept by a database trigger and GIN
indexed, see ``articles/migrations/0002_search_document.py``), ranked, with
highlighted snippets. SQLite: a plain substring match, newest first, with a
snippet around the first hit.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reader.selectors import PAGE_SIZE, public_articles

SEARCH_CONFIG = "english"  # the trigger's configuration too
# Sentinels survive PostgreSQL's ts_headline and are turned into <mark> after escaping.
_START, _STOP = "\u0002", "\u0003"
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Hit:
    article: object
    snippet: SafeString


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def postgres_matches(query: str):
    """Public stories matching ``query``, best first (PostgreSQL only)."""
    search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        public_articles()
        .filter(search_document=search)  # "@@", which the GIN index serves
        .annotate(rank=SearchRank(F("search_document"), search))
        .annotate(
            snippet=SearchHeadline(
                "body",
                search,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
            )
        )
        .order_by("-rank", "-published_at")
    )


def _sqlite_snippet(body: str, words: list[str]) -> str:
    lowered = body.lower()
    first = min((lowered.find(w) for w in words if lowered.find(w) != -1), default=0)
    start = max(first - 80, 0)
    excerpt = body[start : start + 240]
    for word in words:
        excerpt = re.sub(
            f"({re.escape(word)})", f"{_START}\\1{_STOP}", excerpt, flags=re.I
        )
    return ("…" if start else "") + excerpt + "…"


def search_stories(query: str, page: str | int | None) -> Page:
    """Ranked public stories matching ``query``; hits carry a highlighted snippet."""
    # PostgreSQL refuses NUL in text; it never belongs in a search anyway.
    query = " ".join(query.replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    if connection.vendor == "postgresql":
        results = Paginator(postgres_matches(query), PAGE_SIZE).get_page(page)
        results.object_list = [Hit(a, _marked(a.snippet)) for a in results.object_list]
        return results
    words = [w.lower() for w in query.split()][:10]
    matches = public_articles()
    for word in words:
        matches = matches.filter(
            Q(headline__icontains=word)
            | Q(dek__icontains=word)
            | Q(body__icontains=word)
        )
    results = Paginator(
        matches.order_by(F("published_at").desc(nulls_last=True)), PAGE_SIZE
    ).get_page(page)
    results.object_list = [
        Hit(a, _marked(_sqlite_snippet(a.body, words))) for a in results.object_list
    ]
    return results
