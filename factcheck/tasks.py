"""Background work of the fact-check app."""

from celery import shared_task
from django.db import OperationalError

# The module, not its names: factcheck.services enqueues these tasks in turn.
from factcheck import services


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def propose_claims_task(self, article_id: int) -> dict[str, int]:
    """Propose claims for the article's current body. Safe to run twice or at once."""
    return services.claims_propose(article_id=article_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def check_evidence_link_task(evidence_id: int) -> str | None:
    """Check one evidence link and record what was found. Safe to run twice."""
    return services.evidence_link_check(evidence_id=evidence_id)


@shared_task
def recheck_evidence_links_task() -> int:
    """Daily: queue a check of every link not checked for a while, oldest first."""
    due = services.evidence_links_due()
    for evidence_id in due:
        check_evidence_link_task.delay(evidence_id)
    return len(due)
