"""The benchmark's data: consistent enough that the pages measured are real pages."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article
from factcheck.models import Claim

pytestmark = pytest.mark.django_db


def test_seed_bench_builds_published_stories_with_anchored_reviewed_claims(client):
    call_command("seed_bench", stories=12, claims=200, stdout=None)
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == 12
    claims = list(Claim.objects.select_related("article"))
    assert len(claims) == 200
    assert all(c.article.body[c.start : c.end] == c.text for c in claims)
    assert {c.review for c in claims} == {Claim.Review.REVIEWED}
    story = Article.objects.first()
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert page.content.decode().count('class="claim-marker"') == story.claims.count()


def test_the_measured_page_has_a_lead_picture_and_three_in_its_body(client):
    call_command("seed_bench", stories=10, claims=200, stdout=None)
    assert not Article.objects.filter(lead_image=None).exists()
    measured = Article.objects.annotate(n=Count("claims")).filter(n=20).first()
    assert measured is not None  # what bench/run.sh looks for
    page = client.get(measured.get_absolute_url()).content.decode()
    assert page.count("<picture>") == 4
    assert page.count('class="claim-marker"') == 20


def test_seed_bench_refuses_a_database_that_has_stories(reporter):
    call_command("seed_bench", stories=2, claims=40, stdout=None)
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_bench", stories=2, claims=40, stdout=None)
