"""Item 1 of issue #12: one anonymous search must not take the database down.

A quoted phrase of many short repeated tokens against a story holding a long
run of them made PostgreSQL's ``ts_headline`` allocate memory without bound.
Search now caps the query's words, runs under its own ``statement_timeout``,
and builds snippets in Python from a bounded excerpt: ``ts_headline`` is never
called. (No wall-clock assertion: the work is bounded by construction.)
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from articles.models import Article
from reader import search
from tests.factories import SectionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

RUN = "alpha beta " * 20_000  # the story's long run of short repeated tokens
PHRASE = '"' + "alpha beta " * 30 + '"'  # 60 words in one phrase


@pytest.fixture
def long_run_story(reporter):
    return Article.objects.create(
        headline="A story with a long run",
        slug="long-run",
        body=f"It starts here. {RUN}And ends here.",
        section=SectionFactory(),
        created_by=reporter,
        status=Article.Status.PUBLISHED,
    )


def _search(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reader:search"), {"q": query})
    return response, [q["sql"] for q in queries.captured_queries]


def test_a_long_phrase_of_repeated_tokens_is_answered_with_bounded_work(
    client, long_run_story
):
    response, sql = _search(client, PHRASE)
    assert response.status_code == 200
    hits = list(response.context["results"].object_list)
    assert [hit.article for hit in hits] == [long_run_story]
    assert not any("ts_headline" in q for q in sql)
    assert any(q.startswith("SET LOCAL statement_timeout") for q in sql), (
        "search runs under its own statement_timeout"
    )
    # The snippet comes from a bounded excerpt of the body.
    assert len(strip_tags(hits[0].snippet)) <= search.SNIPPET_CHARS + 2
    assert "<mark>alpha</mark>" in hits[0].snippet


@pytest.mark.parametrize(
    "query",
    [
        PHRASE,
        "-".join(["alpha", "beta"] * 40),  # one hyphenated word, 80 parts
        "_".join(["1"] * 80),
        " ".join(str(n) for n in range(60)),
    ],
)
def test_the_query_reaching_the_database_has_at_most_max_terms_words(query):
    bounded = search.bounded_query(query)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s, %s))",
            [search.SEARCH_CONFIG, bounded],
        )
        (nodes,) = cursor.fetchone()
    # A phrase of n lexemes has n operand nodes and n - 1 operators.
    assert nodes <= 2 * search.MAX_TERMS - 1


def test_a_search_stopped_by_its_timeout_is_a_clear_answer_not_an_error(
    client, long_run_story, monkeypatch
):
    monkeypatch.setattr(search, "STATEMENT_TIMEOUT_MS", 1)
    monkeypatch.setattr(
        search,
        "postgres_matches",
        lambda query: Article.objects.extra(where=["pg_sleep(0.05) IS NOT NULL"]),
    )
    response = client.get(reverse("reader:search"), {"q": "alpha"})
    assert response.status_code == 503
    assert "took too long" in response.content.decode()
