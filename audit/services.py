"""The one way to write the audit log."""

from audit.models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    article,
    claim=None,
    from_state: str = "",
    to_state: str = "",
    message: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Append an entry. Call inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        article=article,
        claim_id=claim.pk if claim is not None else None,
        from_state=from_state,
        to_state=to_state,
        message=message,
        data=data or {},
    )
