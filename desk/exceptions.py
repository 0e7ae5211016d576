"""Domain errors of the desk. Views turn them into a message and a 403 or 409."""

from django.core.exceptions import PermissionDenied


class InvalidTransition(Exception):
    """The story is not in a state this action applies to (409)."""


class TransitionForbidden(PermissionDenied):
    """The user's role does not allow this action (403)."""


class ApprovalBlocked(Exception):
    """Claims are unreviewed, misattributed or false (409); ``reasons`` says which."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class PublicationBlocked(Exception):
    """Embargo, or a schedule time that is not allowed (409)."""


class TwoFactorThrottled(Exception):
    """Too many wrong codes in a row: the next try waits until ``until``."""

    def __init__(self, until):
        super().__init__(f"Too many wrong codes: wait until {until:%H:%M:%S} UTC.")
        self.until = until
