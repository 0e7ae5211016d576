"""Search over published stories.

PostgreSQL: full-text search over ``Article.search_document`` (headline
weighted above standfirst above body, kept by a database trigger and GIN
indexed, see ``articles/migrations/0002_search_document.py``), ranked. SQLite:
a plain substring match, newest first.

One anonymous search must never cost the database more than a bounded amount
of work (issue #12: ``ts_headline`` over a long run of repeated tokens with a
long quoted phrase allocated memory without bound). So the query keeps at most
``MAX_TERMS`` words, however they are joined (a hyphenated or underscored
chain is as many words as it has parts); the search runs under its own
``statement_timeout``; and snippets are built here, in Python, from a bounded
excerpt around the first word that matches, never by ``ts_headline``.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reader.selectors import PAGE_SIZE, public_articles

SEARCH_CONFIG = "english"  # the trigger's configuration too
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
STATEMENT_TIMEOUT_MS = 3000
SNIPPET_CHARS = 240
_WORD = re.compile(r"[^\W_]+")  # what PostgreSQL's parser counts as one word
_QUERY_CANCELED = "57014"
_ENDINGS = ("ies", "es", "s", "ed", "ing", "ly", "e", "y")


class SearchTimedOut(Exception):
    """The search was stopped by its statement timeout."""


@dataclass(frozen=True)
class Hit:
    article: object
    snippet: SafeString


def bounded_query(query: str) -> str:
    """``query`` with its whitespace collapsed, cut after ``MAX_TERMS`` words."""
    kept, room = [], MAX_TERMS
    for chunk in query[: MAX_QUERY_LENGTH * 2].split():
        words = _WORD.findall(chunk)
        if len(words) > room:
            kept.append(" ".join(words[:room]))
            break
        kept.append(chunk)
        room -= len(words)
    return " ".join(kept)[:MAX_QUERY_LENGTH]


def _stem(word: str) -> str:
    # Enough of English inflection for highlighting "submarines" at "submarine"
    # (the database's stemmer decided the match; this only marks it).
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _words(query: str) -> list[str]:
    words = {_stem(w.lower()) for w in _WORD.findall(query)} - {"or"}
    return sorted(words, key=len, reverse=True)  # longest first in the pattern


def snippet(body: str, words: list[str]) -> SafeString:
    """An escaped excerpt of ``body`` around the first of ``words``, marked."""
    pattern = (
        re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\w*", re.I)
        if words
        else None
    )
    first = pattern.search(body) if pattern else None
    start = max(first.start() - 80, 0) if first else 0
    excerpt = body[start : start + SNIPPET_CHARS]
    parts, at = [], 0
    for match in pattern.finditer(excerpt) if pattern else ():
        parts += [
            escape(excerpt[at : match.start()]),
            f"<mark>{escape(match[0])}</mark>",
        ]
        at = match.end()
    parts.append(escape(excerpt[at:]))
    more = "…" if start + SNIPPET_CHARS < len(body) else ""
    return mark_safe(("…" if start else "") + "".join(parts) + more)


def postgres_matches(query: str):
    """Public stories matching ``query``, best first (PostgreSQL only)."""
    search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        public_articles()
        .filter(search_document=search)  # "@@", which the GIN index serves
        .annotate(rank=SearchRank(F("search_document"), search))
        .order_by("-rank", "-published_at")
    )


def _sqlite_matches(words: list[str]):
    matches = public_articles()
    for word in words:
        matches = matches.filter(
            Q(headline__icontains=word)
            | Q(dek__icontains=word)
            | Q(body__icontains=word)
        )
    return matches.order_by(F("published_at").desc(nulls_last=True))


def search_stories(query: str, page: str | int | None) -> Page:
    """Ranked public stories matching ``query``; hits carry a highlighted snippet.

    Raises ``SearchTimedOut`` when PostgreSQL stops the search at its timeout.
    """
    query = bounded_query(query)
    words = _words(query)
    if connection.vendor != "postgresql":
        matches = _sqlite_matches(query.lower().split())
        results = Paginator(matches, PAGE_SIZE).get_page(page)
        results.object_list = [Hit(a, snippet(a.body, words)) for a in results]
        return results
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL statement_timeout = %s", [f"{STATEMENT_TIMEOUT_MS}ms"]
            )
            results = Paginator(postgres_matches(query), PAGE_SIZE).get_page(page)
            articles = list(results.object_list)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == _QUERY_CANCELED:
            raise SearchTimedOut from error
        raise
    results.object_list = [Hit(a, snippet(a.body, words)) for a in articles]
    return results
