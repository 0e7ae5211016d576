"""Claim proposals through Redis and a real Celery worker (PostgreSQL + Redis)."""

import psycopg
import pytest

from desk.services import article_start
from factcheck.models import Claim
from factcheck.tasks import propose_claims_task
from newsroom.celery import app as celery_app
from tests.conftest import (
    active_tasks,
    database_url,
    start_worker,
    stop_worker,
    tasks_finished,
    wait_for,
)
from tests.factories import article_content

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BODY = "\n\n".join(
    f"Officials said test {n} took place near the coast. It said the results were good."
    for n in range(40)
)


def test_saving_a_draft_proposes_claims_without_waiting_for_them(
    reporter, celery_worker
):
    queue = celery_worker["queue"]
    celery_app.control.cancel_consumer(queue, reply=True)  # hold the queue
    article = article_start(actor=reporter, content=article_content(body=BODY))
    assert not Claim.objects.filter(article=article).exists()  # the save did not wait
    celery_app.control.add_consumer(queue, reply=True)
    wait_for(lambda: Claim.objects.filter(article=article).count() == 80)
    assert set(
        Claim.objects.filter(article=article).values_list("origin", flat=True)
    ) == {Claim.Origin.PROPOSED}


def test_running_the_task_twice_at_once_leaves_one_set_of_claims(
    reporter, celery_worker
):
    article = article_start(actor=reporter, content=article_content(body=BODY))
    wait_for(lambda: Claim.objects.filter(article=article).count() == 80)
    Claim.objects.filter(article=article).delete()
    name = propose_claims_task.name
    before = wait_for(lambda: tasks_finished(name))
    for _ in range(3):
        propose_claims_task.delay(article.pk)
    wait_for(lambda: tasks_finished(name) >= before + 3)  # all three ran to the end
    spans = list(Claim.objects.filter(article=article).values_list("start", "end"))
    assert len(spans) == len(set(spans)) == 80


def test_a_worker_killed_mid_task_is_replaced_and_one_set_of_claims_results(
    reporter, broker_queue
):
    first = start_worker(broker_queue, concurrency=1, CELERY_VISIBILITY_TIMEOUT="3")
    # Hold the article's row lock from another connection: the task starts, then
    # waits inside its transaction, so the kill lands in the middle of it.
    with psycopg.connect(database_url(), autocommit=False) as blocker:
        try:
            celery_app.control.cancel_consumer(broker_queue, reply=True)
            article = article_start(actor=reporter, content=article_content(body=BODY))
            blocker.execute(
                "SELECT id FROM articles_article WHERE id = %s FOR UPDATE", [article.pk]
            )
            celery_app.control.add_consumer(broker_queue, reply=True)
            wait_for(lambda: active_tasks() == 1, timeout=20, interval=0.1)
            stop_worker(first, kill=True)
        finally:
            stop_worker(first, kill=True)
            blocker.rollback()
    assert not Claim.objects.filter(article=article).exists()  # nothing committed
    second = start_worker(broker_queue, concurrency=1, CELERY_VISIBILITY_TIMEOUT="3")
    try:
        wait_for(
            lambda: Claim.objects.filter(article=article).count() == 80, timeout=60
        )
    finally:
        stop_worker(second)
    spans = list(Claim.objects.filter(article=article).values_list("start", "end"))
    assert len(spans) == len(set(spans)) == 80
