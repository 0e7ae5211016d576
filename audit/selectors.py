from audit.models import AuditEntry


def article_timeline(article_id: int):
    """Every audit entry of a story, oldest first, with its actor."""
    return AuditEntry.objects.filter(article_id=article_id).select_related("actor")
