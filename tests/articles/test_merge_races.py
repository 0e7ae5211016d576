"""Two people saving from the same revision at the same moment, on PostgreSQL:
changes to different paragraphs both land, merged; the same sentence gives one
save and one conflict holding both texts. Nothing is lost either way."""

import threading

import pytest
from django.db import connection

from articles.content import ArticleContent
from articles.exceptions import EditConflict
from articles.services import article_create, article_update
from tests.factories import article_content

BODY = "One launch was detected.\n\nExperts expect more.\n\nSeoul protested."


def _race(article, edits: dict) -> dict:
    """Save each ``name: (user, body)`` from the same base revision at once."""
    base = article.current_revision
    start = threading.Barrier(len(edits))
    outcomes: dict = {}

    def save(name, user, body):
        content = ArticleContent(
            **{**ArticleContent.of_revision(base).as_dict(), "body": body}
        )
        try:
            start.wait()
            article_update(
                article_id=article.pk,
                actor=user,
                content=content,
                base_revision_id=base.pk,
            )
            outcomes[name] = "saved"
        except EditConflict as conflict:
            outcomes[name] = conflict
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(name, user, body))
        for name, (user, body) in edits.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_saves_of_different_paragraphs_both_land_merged(editor, reporter):
    article = article_create(actor=reporter, content=article_content(body=BODY))
    outcomes = _race(
        article,
        {
            "editor": (editor, BODY.replace("One launch", "Two launches")),
            "reporter": (reporter, BODY.replace("Seoul protested.", "Tokyo too.")),
        },
    )
    assert outcomes == {"editor": "saved", "reporter": "saved"}
    article.refresh_from_db()
    assert article.body == (
        "Two launches was detected.\n\nExperts expect more.\n\nTokyo too."
    )
    latest = article.current_revision
    assert latest.number == 3 and latest.merged_from.number == 1
    assert "changes to paragraph" in latest.merge_note


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_saves_of_the_same_sentence_give_one_save_and_one_conflict(
    editor, reporter
):
    article = article_create(actor=reporter, content=article_content(body=BODY))
    texts = {
        "editor": BODY.replace("One launch", "Three launches"),
        "reporter": BODY.replace("One launch", "Four launches"),
    }
    outcomes = _race(
        article,
        {
            "editor": (editor, texts["editor"]),
            "reporter": (reporter, texts["reporter"]),
        },
    )
    assert sorted(map(str, outcomes.values())).count("saved") == 1
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    loser = next(name for name in outcomes if name != winner)
    article.refresh_from_db()
    assert article.body == texts[winner] and article.revisions.count() == 2
    # Nothing lost: the conflict holds the loser's sentence and the winner's.
    [overlap] = outcomes[loser].merge.conflicts
    assert overlap.mine == [texts[loser].split("\n\n")[0]]
    assert overlap.theirs == [texts[winner].split("\n\n")[0]]
