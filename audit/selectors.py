from audit.chain import CHAINED_FIELDS
from audit.models import AuditEntry


def article_timeline(article_id: int):
    """Every audit entry of a story, oldest first, with its actor."""
    return AuditEntry.objects.filter(article_id=article_id).select_related("actor")


def chain_rows():
    """Every entry's chained content, in id order, streamed for ``verify_audit``."""
    return (
        AuditEntry.objects.order_by("pk")
        .values("id", "entry_hash", *CHAINED_FIELDS)
        .iterator(chunk_size=5000)
    )
