"""Background work of the fact-check app, started through the outbox.

Every task retries on transient errors (``newsroom.celery.Task``) and is safe
to run twice.
"""

from celery import shared_task

from factcheck import services


@shared_task
def propose_claims_task(article_id: int) -> dict[str, int]:
    """Propose claims for the article's current body. Safe to run twice or at once."""
    return services.claims_propose(article_id=article_id)


@shared_task
def check_evidence_link_task(evidence_id: int) -> str | None:
    """Check one evidence link and record what was found. Safe to run twice."""
    return services.evidence_link_check(evidence_id=evidence_id)


@shared_task
def recheck_evidence_links_task() -> int:
    """Daily: queue a check of every link not checked for a while, oldest first."""
    return services.evidence_links_queue_due()
