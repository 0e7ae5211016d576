import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from desk import workflow
from desk.demo_loader import load_demo
from factcheck.models import Source
from factcheck.services import claim_review


def publish_reviewed(article: Article) -> Article:
    """Review every claim as the demo fact-checker, approve and publish."""
    users = get_user_model().objects
    checker = users.get(username="factchecker")
    for claim in article.claims.select_related("speaker"):
        state_media = claim.speaker and claim.speaker.kind == Source.Kind.STATE_MEDIA
        claim_review(
            claim_id=claim.pk,
            actor=checker,
            attribution="confirmed",
            veracity="unverifiable" if state_media else "accurate",
            note="internal note: called the ministry",
            public_explanation="Matches the statement.",
            evidence=[
                {"title": "Private call log", "public": False},
                {"title": "Statement", "url": "https://example.org/statement"},
            ],
        )
    workflow.article_transition(
        article_id=article.pk, actor=users.get(username="editor"), name="approve"
    )
    workflow.article_transition(
        article_id=article.pk, actor=users.get(username="publisher"), name="publish"
    )
    article.refresh_from_db()
    return article


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Whole-page caching has its own tests; elsewhere each request renders afresh.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    return Article.objects.get()


@pytest.fixture
def published(demo):
    return publish_reviewed(demo)


@pytest.fixture
def kcna_claims(published):
    return published.claims.filter(speaker__name="Korean Central News Agency (KCNA)")
