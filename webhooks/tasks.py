"""Background work of webhooks: deriving events, delivering them, the sweep."""

from celery import shared_task

from webhooks import services


@shared_task
def derive_webhook_events_task() -> int:
    """Make the events of new audit entries and queue their deliveries."""
    return services.events_derive()


@shared_task(bind=True, max_retries=None)
def deliver_webhook_task(self, delivery_id: int) -> bool:
    """Try one delivery; on failure, try again after its back-off.

    The delivery row holds its own next try, so a retry lost with the broker
    is sent by the sweep (and the first send by the outbox): nothing is lost,
    and the claim in ``delivery_attempt`` keeps anything from going twice.
    Run in-process (no broker), it does not wait for the retry: the sweep
    sends it when it is due.
    """
    outcome = services.delivery_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.delivered


@shared_task
def webhooks_sweep_task() -> int:
    """Beat: derive events the wake-ups missed and send deliveries due."""
    services.events_derive()
    due = services.deliveries_due()
    for delivery_id in due:
        deliver_webhook_task.delay(delivery_id)
    return len(due)
