"""Pictures in the media library and the renditions made of them.

A ``Picture`` is a cleaned original (orientation applied, metadata stripped)
in the default storage, with what readers and the desk need to use it: alt
text, caption, credit, usage rights and a focal point. A ``Rendition`` is one
resized (and perhaps cropped) copy of it in one format, made the first time a
page asks for it and kept: at most one per picture, width, format, crop and
focal point (a unique constraint, so two readers asking at once make one).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

_UNIT = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Picture(models.Model):
    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        WEBP = "webp", "WebP"
        AVIF = "avif", "AVIF"

    file = models.FileField(upload_to="pictures/originals/", editable=False)
    format = models.CharField(max_length=4, choices=Format.choices, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt_text = models.CharField(
        max_length=300,
        help_text="What the picture shows, for people who cannot see it.",
    )
    caption = models.TextField(
        blank=True,
        help_text="Shown under the picture. What it states is checked as a claim.",
    )
    photographer = models.CharField(max_length=200, blank=True)
    agency = models.CharField(max_length=200, blank=True)
    tags = models.CharField(
        max_length=300, blank=True, help_text="Words to find it by, comma-separated."
    )
    rights_note = models.TextField(
        "usage rights",
        blank=True,
        help_text="Who may use it, where and how (licence, agreement, fee paid).",
    )
    rights_expire_on = models.DateField(
        null=True,
        blank=True,
        help_text="After this day the picture is flagged and no new publication "
        "may use it.",
    )
    focal_x = models.FloatField(
        default=0.5, validators=_UNIT, help_text="0 (left) to 1 (right)."
    )
    focal_y = models.FloatField(
        default=0.5, validators=_UNIT, help_text="0 (top) to 1 (bottom)."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1)
                & Q(focal_y__gte=0, focal_y__lte=1),
                name="picture_focal_point_inside",
            ),
        ]

    def __str__(self) -> str:
        return self.caption[:80] or self.alt_text[:80]

    @property
    def credit(self) -> str:
        """ "Photographer / Agency", either alone, or ""."""
        return " / ".join(filter(None, (self.photographer, self.agency)))

    def rights_expired(self, on: datetime.date) -> bool:
        return self.rights_expire_on is not None and self.rights_expire_on < on

    @property
    def markdown(self) -> str:
        """What an editor pastes into a story's body to show it there."""
        caption = self.caption.replace('"', "”").replace("\n", " ")
        alt = self.alt_text.replace("]", ")")
        return f'![{alt}](picture:{self.pk} "{caption}")'


class Rendition(models.Model):
    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    picture = models.ForeignKey(
        Picture, on_delete=models.CASCADE, related_name="renditions"
    )
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=Format.choices)
    # "" keeps the original's shape; "3:2" crops to it around the focal point,
    # which is then part of the key ("0.500,0.400"): moving it makes new crops.
    crop = models.CharField(max_length=10, blank=True)
    focal = models.CharField(max_length=11, blank=True)
    file = models.FileField(upload_to="pictures/renditions/")
    size = models.PositiveIntegerField(help_text="Bytes.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["picture", "width", "format", "crop", "focal"],
                name="one_rendition_per_spec",
            ),
        ]

    def __str__(self) -> str:
        shape = self.crop or "original"
        return f"{self.picture_id} {self.width}w {shape} {self.format}"
