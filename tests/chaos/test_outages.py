"""Outages during real work, with a real worker, Redis and PostgreSQL: the
work a committed action set off is done, once, whatever failed meanwhile.

Each test breaks only what it started (``tests/chaos/conftest.py``): its own
redis-server, its own proxy in front of PostgreSQL, its own workers.
"""

import threading

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from bench.faults import emails_sent
from desk import services as desk_services
from desk.services import article_start
from factcheck.models import Claim
from newsroom.celery import app as celery_app
from outbox.models import Job
from tests.conftest import active_tasks, database_url, stop_worker, wait_for
from tests.factories import article_content
from tests.html_forms import form_data

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

PROPOSE = "factcheck.tasks.propose_claims_task"
EMAIL = "desk.tasks.send_notification_email_task"


def paragraphs(count: int, start: int = 0) -> str:
    """``count`` paragraphs of two claims each."""
    return "\n\n".join(
        f"Officials said test {n} took place near the coast. "
        "It said the results were good."
        for n in range(start, start + count)
    )


def claim_spans(article: Article) -> list[tuple[int, int]]:
    return list(Claim.objects.filter(article=article).values_list("start", "end"))


def proposal_job(article: Article) -> Job:
    return Job.objects.filter(task=PROPOSE, key=f"propose-claims:{article.pk}").first()


def test_redis_stopped_mid_save_the_save_succeeds_and_its_work_happens_once(
    client, reporter, editor, redis_server, own_cache, chaos_worker, monkeypatch
):
    chaos_worker(beat=True, OUTBOX_SWEEP_SECONDS="1")
    story = article_start(
        actor=reporter,
        content=article_content(body=paragraphs(5), author_ids=(reporter.pk,)),
    )
    wait_for(lambda: not Article.objects.get(pk=story.pk).claims_pending)
    client.force_login(reporter)
    client.post(reverse("desk:story_transition", args=[story.pk, "submit"]))
    client.force_login(editor)
    url = reverse("desk:story_edit", args=[story.pk])
    form = form_data(client.get(url).content.decode())
    after_edit = desk_services._after_edit

    def redis_stops_mid_save(*args):
        redis_server.stop()  # after the revision is written, before the commit
        after_edit(*args)

    monkeypatch.setattr(desk_services, "_after_edit", redis_stops_mid_save)
    saved = client.post(url, {**form, "body": paragraphs(8)})
    sent_back = client.post(
        reverse("desk:story_transition", args=[story.pk, "request_changes"]),
        {"message": "Sources for the new tests, please."},
    )

    assert saved.status_code == 302 and sent_back.status_code == 302
    assert "still being proposed" in client.get(saved.url).content.decode()
    story.refresh_from_db()
    assert story.status == "draft" and story.claims_pending
    email_job = Job.objects.get(task=EMAIL)
    for job in (proposal_job(story), email_job):
        assert job.done_at is None and job.last_error  # not sent: to be sent again

    redis_server.start()  # empty: whatever it held is gone

    wait_for(lambda: Job.objects.filter(done_at__isnull=True).count() == 0, timeout=60)
    spans = claim_spans(story)
    assert len(spans) == len(set(spans)) == 16
    assert emails_sent(chaos_worker.mail_dir, to=reporter.email) == 1
    assert emails_sent(chaos_worker.mail_dir) == 1


def test_a_worker_killed_mid_proposal_is_covered_by_the_sweep_one_set_of_claims(
    reporter, redis_server, chaos_worker, settings
):
    settings.OUTBOX_RESEND_SECONDS = 3  # how long a sent job may take
    first = chaos_worker(concurrency=1)
    # Hold the story's row from another connection: the proposal starts, then
    # waits inside its transaction, where the kill finds it.
    with psycopg.connect(database_url(), autocommit=False) as blocker:
        try:
            celery_app.control.cancel_consumer(chaos_worker.queue, reply=True)
            story = article_start(
                actor=reporter, content=article_content(body=paragraphs(10))
            )
            blocker.execute(
                "SELECT id FROM articles_article WHERE id = %s FOR UPDATE", [story.pk]
            )
            celery_app.control.add_consumer(chaos_worker.queue, reply=True)
            wait_for(lambda: active_tasks() == 1, timeout=20, interval=0.1)
            stop_worker(first, kill=True)
        finally:
            stop_worker(first, kill=True)
            blocker.rollback()
    # Redis restarts without persistence: the unacknowledged message is gone,
    # so only the outbox knows the work is still to do.
    redis_server.stop()
    redis_server.start()
    assert not Claim.objects.filter(article=story).exists()
    assert proposal_job(story).attempts == 1

    chaos_worker(beat=True, OUTBOX_SWEEP_SECONDS="1")

    wait_for(lambda: proposal_job(story).done_at, timeout=60)
    assert proposal_job(story).attempts == 2  # sent after commit, then by the sweep
    spans = claim_spans(story)
    assert len(spans) == len(set(spans)) == 20


def test_a_database_blip_during_a_task_is_retried_by_the_task(
    reporter, chaos_worker, pg_proxy
):
    chaos_worker(concurrency=1, database=pg_proxy)  # no beat: no sweep to help
    pg_proxy.cut()
    story = article_start(actor=reporter, content=article_content(body=paragraphs(3)))
    wait_for(lambda: pg_proxy.refused, timeout=20, interval=0.05)  # the task failed
    pg_proxy.restore()

    wait_for(lambda: proposal_job(story).done_at, timeout=60)
    job = proposal_job(story)
    assert job.attempts == 1  # the task's own retry, never sent again
    spans = claim_spans(story)
    assert len(spans) == len(set(spans)) == 6


def test_a_stalled_broker_costs_a_save_seconds_and_loses_nothing(
    client, reporter, broker_proxy
):
    story = article_start(
        actor=reporter,
        content=article_content(body=paragraphs(1), author_ids=(reporter.pk,)),
    )  # its job is sent: this process holds a connection to the broker
    client.force_login(reporter)
    url = reverse("desk:story_edit", args=[story.pk])
    form = form_data(client.get(url).content.decode())
    broker_proxy.stall()  # Redis accepts and answers nothing
    answers = []

    def save_the_story():
        answers.append(client.post(url, {**form, "body": paragraphs(2)}))
        connection.close()

    save = threading.Thread(target=save_the_story)
    save.start()
    save.join(timeout=30)  # without socket timeouts it waits as long as the stall

    assert not save.is_alive() and answers[0].status_code == 302
    story.refresh_from_db()
    assert story.claims_pending
    job = proposal_job(story)
    assert job.done_at is None and job.last_error  # to be sent again
