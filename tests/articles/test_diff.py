import pytest

from articles.content import ArticleContent
from articles.diff import revision_diff, word_diff_html
from articles.services import article_create, article_update
from tests.factories import article_content


def test_word_diff_marks_only_the_changed_words():
    html = word_diff_html(
        "The missiles flew 900 kilometers.", "The missiles flew 1,000 kilometers."
    )
    assert html == "The missiles flew <del>900</del><ins>1,000</ins> kilometers."


def test_word_diff_escapes_markup():
    assert "&lt;script&gt;" in word_diff_html("", "<script>")


@pytest.mark.django_db
def test_revision_diff_reports_each_changed_field(reporter, editor):
    article = article_create(actor=reporter, content=article_content())
    current = ArticleContent.of_revision(article.current_revision)
    base, new = article_update(
        article_id=article.pk,
        actor=editor,
        content=ArticleContent(
            **{
                **current.as_dict(),
                "headline": "New headline",
                "author_ids": (editor.pk,),
            }
        ),
        base_revision_id=article.current_revision_id,
    )
    changed = {d.field: d for d in revision_diff(base, new) if d.changed}
    assert set(changed) == {"headline", "authors"}
    assert (
        "<ins>" in changed["headline"].html
        and editor.get_full_name() in changed["authors"].html
    )
