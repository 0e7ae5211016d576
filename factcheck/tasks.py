"""Background work of the fact-check app."""

from celery import shared_task

from factcheck.services import claims_propose


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def propose_claims_task(self, article_id: int) -> dict[str, int]:
    """Propose claims for the article's current body. Safe to run twice or at once."""
    return claims_propose(article_id=article_id)
