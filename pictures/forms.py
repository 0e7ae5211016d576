"""The upload and edit form of the media library (the admin uses it)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from pictures.images import CleanImage, clean_upload
from pictures.models import Picture
from pictures.services import EDITABLE_FIELDS

ACCEPT = "image/jpeg,image/png,image/webp,image/avif"


class PictureForm(forms.ModelForm):
    """A new picture takes its file; an existing one keeps its pixels."""

    upload = forms.FileField(
        label="Picture file",
        help_text="JPEG, PNG, WebP or AVIF, at most "
        f"{filesizeformat(settings.PICTURE_MAX_BYTES)} and "
        f"{settings.PICTURE_MAX_PIXELS / 1_000_000:g} megapixels. Its location "
        "and camera data are removed.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    class Meta:
        model = Picture
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 3}),
            "rights_note": forms.Textarea(attrs={"rows": 2}),
            "rights_expire_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clean_image: CleanImage | None = None
        if self.instance.pk:
            del self.fields["upload"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > settings.PICTURE_MAX_BYTES:
            # Refused before reading it into memory.
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}: the most we accept "
                f"is {filesizeformat(settings.PICTURE_MAX_BYTES)}."
            )
        self.clean_image = clean_upload(upload.read())
        return upload

    def picture_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
