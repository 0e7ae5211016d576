"""Staff API tokens: created and revoked by administrators, stored as digests.

A key is 32 random bytes, so a plain SHA-256 digest protects it as well as a
slow password hash would, and lets a request find its token in one indexed
query. The key itself is shown once, when it is made.
"""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken

KEY_PREFIX = "nrt_"
# A request touches its token's last_used_at at most this often: not a write
# per request.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(
    *,
    actor,
    user,
    name: str,
    scope: str,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; return it and its key (shown once, never kept).

    Raises ``PermissionDenied`` unless ``actor`` may add tokens and
    ``ValidationError`` for a user who is not active staff.
    """
    if not actor.has_perm("api.add_apitoken"):
        raise PermissionDenied("Only administrators create API tokens.")
    if not (user.is_active and user.is_staff):
        raise ValidationError("API tokens are for active staff accounts.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        scope=scope,
        expires_at=expires_at,
        prefix=key[:12],
        digest=_digest(key),
        created_by=actor,
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    """Revoke a token at once (idempotent)."""
    if not actor.has_perm("api.change_apitoken"):
        raise PermissionDenied("Only administrators revoke API tokens.")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(key: str) -> ApiToken | None:
    """The usable token of an active staff user behind ``key``, or None."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(key)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now):
        return None
    if not (token.user.is_active and token.user.is_staff):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
