"""Full-text search on PostgreSQL: weighted, ranked, highlighted, indexed."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from articles.models import Article
from reader.search import SEARCH_CONFIG, search_stories
from tests.factories import SectionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def stories(reporter):
    section = SectionFactory()
    common = {
        "section": section,
        "created_by": reporter,
        "status": Article.Status.PUBLISHED,
    }
    return {
        "headline": Article.objects.create(
            headline="Submarine launch confirmed",
            slug="a",
            body="Details follow.",
            **common,
        ),
        "body": Article.objects.create(
            headline="Weekly roundup",
            slug="b",
            body="Also, a submarine was seen.",
            **common,
        ),
        "draft": Article.objects.create(
            headline="Submarine draft",
            slug="c",
            body="submarine",
            section=section,
            created_by=reporter,
        ),
    }


def test_headline_matches_rank_above_body_matches_and_drafts_are_never_found(stories):
    hits = list(search_stories("submarines", page=1).object_list)
    assert [hit.article for hit in hits] == [stories["headline"], stories["body"]]
    assert "<mark>submarine</mark>" in hits[1].snippet


def test_the_search_expression_is_served_by_the_gin_index(stories):
    # Only the full-text condition, so no other index can stand in for it.
    matches = Article.objects.filter(
        search_document=SearchQuery("submarine", config=SEARCH_CONFIG)
    ).values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = matches.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "articles_article_search" in plan
