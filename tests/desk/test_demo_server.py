"""``make demo`` keeps time and knows its own address, with nothing to install."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from articles.models import Article
from desk import workflow
from desk.management.commands.rundemo import start_inprocess_beat
from desk.services import article_start
from factcheck.models import Claim
from newsroom.celery import app
from tests.conftest import PROJECT_DIR, wait_for
from tests.factories import article_content


@pytest.fixture
def quick_publish_sweep():
    """The demo's beat schedule with the publishing sweep every 0.2 s."""
    schedule = app.conf.beat_schedule
    app.conf.beat_schedule = {
        "publish-due-articles": {**schedule["publish-due-articles"], "schedule": 0.2}
    }
    yield
    app.conf.beat_schedule = schedule


# PostgreSQL: SQLite's in-memory test database (shared cache) locks whole
# tables between threads, unlike the demo's file, which waits its turn.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_demo_process_publishes_a_scheduled_story_on_time(
    reporter, editor, publisher, quick_publish_sweep
):
    story = article_start(
        actor=reporter,
        content=article_content(body="Officials said the launch failed."),
    )
    Claim.objects.filter(article=story).update(
        review="reviewed", attribution="confirmed", veracity="accurate"
    )
    workflow.article_transition(article_id=story.pk, actor=reporter, name="submit")
    workflow.article_transition(article_id=story.pk, actor=editor, name="approve")
    due = timezone.now() + datetime.timedelta(seconds=1)
    workflow.article_transition(
        article_id=story.pk, actor=publisher, name="schedule", publish_at=due
    )

    beat = start_inprocess_beat()
    try:
        wait_for(
            lambda: Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED,
            timeout=20,
        )
    finally:
        beat.stop()
    assert Article.objects.get(pk=story.pk).published_at == due


def test_the_demos_public_address_follows_its_port():
    plan = subprocess.run(
        ["make", "-n", "demo", "PORT=8801"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SITE_URL=http://127.0.0.1:8801" in plan
    assert "manage.py rundemo 127.0.0.1:8801" in plan
    assert "SITE_URL=http://127.0.0.1:8000" not in plan
