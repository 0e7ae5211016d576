"""Scheduled publishing with real workers and beat (PostgreSQL + Redis)."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from audit.models import AuditEntry
from desk import workflow
from desk.services import article_start
from desk.tasks import publish_due_articles_task
from tests.conftest import start_worker, stop_worker, tasks_finished, wait_for
from tests.factories import article_content

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def due_story(reporter, editor, publisher):
    article = article_start(actor=reporter, content=article_content(body=""))
    workflow.article_transition(article_id=article.pk, actor=reporter, name="submit")
    workflow.article_transition(article_id=article.pk, actor=editor, name="approve")
    workflow.article_transition(
        article_id=article.pk,
        actor=publisher,
        name="schedule",
        publish_at=timezone.now() + datetime.timedelta(seconds=1),
    )
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=5)
    )  # missed while down
    return article


def publications(article):
    return AuditEntry.objects.filter(
        article=article, action=AuditEntry.Action.PUBLICATION
    )


def test_two_workers_running_the_sweep_at_once_publish_the_story_once(
    due_story, broker_queue
):
    workers = [start_worker(broker_queue, concurrency=2) for _ in range(2)]
    try:
        for _ in range(4):
            publish_due_articles_task.delay()
        wait_for(lambda: tasks_finished(publish_due_articles_task.name) == 4)
    finally:
        for worker in workers:
            stop_worker(worker)
    assert publications(due_story).count() == 1


def test_beat_publishes_a_missed_scheduled_story_once(due_story, broker_queue):
    worker = start_worker(
        broker_queue, concurrency=2, beat=True, PUBLISH_SWEEP_SECONDS="1"
    )
    sweeps = publish_due_articles_task.name
    try:
        wait_for(lambda: publications(due_story).exists(), timeout=30)
        # Three more sweeps after the publication must not publish it again.
        after = wait_for(lambda: tasks_finished(sweeps))
        wait_for(lambda: tasks_finished(sweeps) >= after + 3, timeout=30)
    finally:
        stop_worker(worker)
    assert publications(due_story).count() == 1
    assert Article.objects.get(pk=due_story.pk).status == Article.Status.PUBLISHED
