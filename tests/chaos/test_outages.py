"""Outages during real work, with a real worker, Redis and PostgreSQL: the
work a committed action set off is done, once, whatever failed meanwhile.

Each test breaks only what it started (``tests/chaos/conftest.py``): its own
redis-server, its own proxy in front of PostgreSQL, its own workers.
"""

import pytest
from django.urls import reverse

from articles.models import Article
from bench.faults import emails_sent
from desk import services as desk_services
from desk.services import article_start
from factcheck.models import Claim
from outbox.models import Job
from tests.conftest import wait_for
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
