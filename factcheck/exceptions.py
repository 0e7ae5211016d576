"""Domain errors of the fact-check app."""

from django.core.exceptions import PermissionDenied, ValidationError


class ClaimError(ValueError):
    """A claim operation that cannot be done as asked (bad span, wrong article...)."""


class SourceNameTaken(ValidationError):
    """Another source took this name between the form's check and the save."""

    def __init__(self, name: str):
        super().__init__(
            {"name": f"A source named “{name}” was added meanwhile; pick it instead."}
        )


class SelfReviewForbidden(PermissionDenied):
    """Separation of duties: nobody checks or approves a story they wrote or edited."""


class ClaimConflict(ClaimError):
    """The claim changed since the form was opened (409): ``claim`` is how it is now.

    The message says who changed it and, for a decision, what they decided, so
    the person who came second can read it before acting again.
    """

    def __init__(self, claim):
        who = claim.updated_by
        by = (who.get_full_name() or who.get_username()) if who else "the system"
        if claim.review == claim.Review.REVIEWED:
            now = (
                f"{by} recorded a decision first: "
                f"{claim.get_attribution_display().split(':')[0].lower()}, "
                f"{claim.get_veracity_display().lower()}"
            )
        else:
            now = f"{by} changed it meanwhile ({claim.get_review_display().lower()})"
        super().__init__(
            f"This claim changed while you had it open: {now}. "
            "Read it again before you act."
        )
        self.claim = claim
