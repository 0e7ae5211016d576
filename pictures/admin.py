"""The media library in the admin: upload, edit, search, and the chooser.

The story form's lead picture opens this list as its chooser (a raw-id
lookup): thumbnails, search by caption, alt text, credit and tags, and the
Markdown that puts a picture in a story's body.
"""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from pictures.forms import PictureForm
from pictures.models import Picture
from pictures.services import picture_sources, picture_update, picture_upload

EXPIRING_SOON = datetime.timedelta(days=30)


class RightsFilter(admin.SimpleListFilter):
    title = "usage rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            ("expired", "Expired"),
            ("soon", "Expiring within 30 days"),
            ("open", "No expiry"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "expired":
            return queryset.filter(rights_expire_on__lt=today)
        if self.value() == "soon":
            return queryset.filter(
                rights_expire_on__gte=today,
                rights_expire_on__lte=today + EXPIRING_SOON,
            )
        if self.value() == "open":
            return queryset.filter(rights_expire_on__isnull=True)
        return queryset


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    form = PictureForm
    list_display = ["thumbnail", "caption_or_alt", "credit", "rights", "markdown"]
    list_display_links = ["thumbnail", "caption_or_alt"]
    list_filter = [RightsFilter]
    search_fields = ["caption", "alt_text", "photographer", "agency", "tags"]
    readonly_fields = ["preview", "markdown", "dimensions", "uploaded_by"]
    list_per_page = 40

    def get_fieldsets(self, request, obj=None):
        described = ["alt_text", "caption", "photographer", "agency", "tags"]
        first = ["preview", "markdown", "dimensions"] if obj else ["upload"]
        return [
            (None, {"fields": [*first, *described]}),
            ("Usage rights", {"fields": ["rights_note", "rights_expire_on"]}),
            (
                "Focal point",
                {
                    "fields": ["focal_x", "focal_y"],
                    "description": "Crops keep this point of the picture in view.",
                },
            ),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description="Picture")
    def thumbnail(self, picture):
        return format_html(
            '<img src="{}" width="120" height="80" alt="" loading="lazy">',
            picture_sources(picture, "list").thumbnail_src,
        )

    @admin.display(description="Preview")
    def preview(self, picture):
        sources = picture_sources(picture, "inline")
        return format_html(
            '<img src="{}" alt="" style="max-width: 480px; height: auto">',
            sources.thumbnail_src,
        )

    @admin.display(description="Caption", ordering="caption")
    def caption_or_alt(self, picture):
        return picture.caption or picture.alt_text

    @admin.display(description="Usage rights", ordering="rights_expire_on")
    def rights(self, picture):
        if picture.rights_expire_on is None:
            return "No expiry"
        if picture.rights_expired(timezone.localdate()):
            return format_html(
                '<strong style="color: #b00020">Expired {}</strong>: not for new '
                "publications",
                picture.rights_expire_on,
            )
        return f"Until {picture.rights_expire_on}"

    @admin.display(description="Markdown for the story body")
    def markdown(self, picture):
        return format_html("<code>{}</code>", picture.markdown)

    @admin.display(description="Size")
    def dimensions(self, picture):
        return f"{picture.width} × {picture.height} px, {picture.get_format_display()}"

    def save_model(self, request, obj, form, change):
        if change:
            changed = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in form.picture_fields()
            }
            if changed:
                picture_update(picture_id=obj.pk, actor=request.user, **changed)
            return
        created = picture_upload(
            actor=request.user,
            image=form.clean_image,
            name=form.cleaned_data["upload"].name,
            **form.picture_fields(),
        )
        obj.pk = created.pk
        obj._state.adding = False
