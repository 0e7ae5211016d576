"""Two editors saving at the same moment on PostgreSQL: exactly one wins."""

import threading

import pytest
from django.db import connection

from articles.content import ArticleContent
from articles.exceptions import EditConflict
from articles.services import article_create, article_update
from tests.factories import article_content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_saves_from_the_same_revision_one_wins_one_conflicts(editor, reporter):
    article = article_create(actor=reporter, content=article_content())
    base = article.current_revision_id
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(name, user):
        try:
            start.wait()
            content = ArticleContent(
                **{
                    **ArticleContent.of_revision(article.current_revision).as_dict(),
                    "headline": f"{name}'s headline",
                }
            )
            article_update(
                article_id=article.pk,
                actor=user,
                content=content,
                base_revision_id=base,
            )
            outcomes[name] = "saved"
        except EditConflict:
            outcomes[name] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(n, u))
        for n, u in (("editor", editor), ("reporter", reporter))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    article.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    assert article.headline == f"{winner}'s headline"
    assert article.revisions.count() == 2
