import pytest

from desk import workflow
from desk.services import article_start
from tests.factories import article_content


@pytest.fixture
def submit_story(reporter, django_capture_on_commit_callbacks):
    """Make a story by ``reporter`` with ``body``, claims proposed, submitted."""

    def submit(body: str):
        with django_capture_on_commit_callbacks(execute=True):
            article = article_start(
                actor=reporter,
                content=article_content(body=body, author_ids=(reporter.pk,)),
            )
        workflow.article_transition(
            article_id=article.pk, actor=reporter, name="submit"
        )
        return article

    return submit
