"""Two-factor authentication of staff (django-otp): an authenticator app
(TOTP) and single-use recovery codes.

Who must use it is a setting, ``TWO_FACTOR_REQUIRED_ROLES``: role names,
``admin`` for superusers, ``staff`` for every staff account. Whoever has
enrolled is asked for a code after the password, required or not. The admin
and the desk refuse an unverified session of such a user
(``desk.middleware.TwoFactorMiddleware``) by sending it to verify or enrol.
"""

import base64
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from desk.exceptions import TwoFactorThrottled

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def two_factor_required(user) -> bool:
    """Whether ``user`` may not use the admin or the desk without a second factor."""
    roles = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    if not roles or not user.is_staff:
        return False
    if "staff" in roles or ("admin" in roles and user.is_superuser):
        return True
    return user.groups.filter(name__in=roles).exists()


def two_factor_enrolled(user) -> bool:
    """Whether ``user`` set up an app (one query on every unverified staff
    request). Recovery codes come only with an app: an administrator who
    deletes the app device resets the user's two-factor."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class PendingApp:
    """An authenticator app being set up: what the enrolment page shows."""

    device: TOTPDevice
    secret: str  # base32, for typing into the app by hand
    config_url: str  # otpauth://, for the QR code


def _pending_app(user) -> TOTPDevice | None:
    """The app device being set up, locked (inside a transaction)."""
    return (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )


def two_factor_setup_start(*, user) -> PendingApp:
    """The unconfirmed app device of ``user``, made on first call: the same
    secret until it is confirmed, so a reload does not break a scanned code."""
    with transaction.atomic():
        device = _pending_app(user) or TOTPDevice.objects.create(
            user=user, name=APP_DEVICE_NAME, confirmed=False
        )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return PendingApp(device=device, secret=secret, config_url=device.config_url)


def two_factor_enrol(*, user, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending app device with a code from the app (it replaces
    any earlier app), and issue new recovery codes (the old ones stop
    working). Returns the device and the codes, to show once, or None when the
    code is wrong; ``TwoFactorThrottled`` after several wrong codes in a row."""
    with transaction.atomic():
        device = _pending_app(user)
        if device is None or not _check(device, token.strip()):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One app at a time: enrolling again replaces the old one.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        return device, _new_recovery_codes(user)


def _check(device, token: str) -> bool:
    """``device.verify_token``, but a device still waiting after wrong codes
    says so (``TwoFactorThrottled``) instead of refusing the right code too."""
    allowed, why = device.verify_is_allowed()
    if not allowed and why and "locked_until" in why:
        raise TwoFactorThrottled(why["locked_until"])
    return device.verify_token(token)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=recovery, token=code) for code in codes
    )
    return codes


def two_factor_verify(*, user, token: str):
    """The confirmed device of ``user`` that accepts ``token`` (a code from the
    app, or a recovery code, used up), else None. After each wrong code the
    device waits longer (1, 2, 4... s) before it checks one again:
    ``TwoFactorThrottled`` until then."""
    token = token.strip().replace(" ", "")
    kind = TOTPDevice if token.isdigit() else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, kind) and _check(device, token):
                return device
    return None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()
