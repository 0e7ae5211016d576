"""Domain errors of the fact-check app."""

from django.core.exceptions import PermissionDenied


class ClaimError(ValueError):
    """A claim operation that cannot be done as asked (bad span, wrong article...)."""


class SelfReviewForbidden(PermissionDenied):
    """Separation of duties: nobody checks or approves a story they wrote or edited."""
