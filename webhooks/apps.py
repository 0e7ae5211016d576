from django.apps import AppConfig
from django.db.models.signals import post_save


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from audit.models import AuditEntry
        from webhooks.services import audit_entry_written

        # Plumbing: an audit entry that may make an event wakes the deriving
        # task at once (through the outbox, in the entry's transaction); the
        # beat sweep finds the same entries anyway.
        post_save.connect(
            audit_entry_written, sender=AuditEntry, dispatch_uid="webhooks"
        )
