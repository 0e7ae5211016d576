from django.utils.functional import SimpleLazyObject

from desk.models import Notification


def notifications(request):
    """Unread count for the desk header, queried only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(
                recipient=user, read_at__isnull=True
            ).count()
        )
    }
