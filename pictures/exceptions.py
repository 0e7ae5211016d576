from django.core.exceptions import ValidationError


class PictureRefused(ValidationError):
    """An upload that is not a picture we accept; the message says why."""
