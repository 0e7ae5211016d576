"""Reads of the outbox: what is still pending, what was given up on."""

from outbox.models import Job


def jobs_open(key: str) -> list[Job]:
    """Jobs about ``key`` not done yet (pending or given up), newest first."""
    return list(Job.objects.filter(key=key, done_at__isnull=True))


def jobs_given_up(*, limit: int = 50) -> list[Job]:
    """Jobs the sweep gave up on, newest first: for the desk to act on."""
    return list(
        Job.objects.filter(failed_at__isnull=False, done_at__isnull=True)[:limit]
    )
