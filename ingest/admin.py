"""The feed registry: agency feeds are added, paused and read here."""

from django import forms
from django.contrib import admin

from ingest.models import AgencyFeed, FeedProblem, IngestedItem
from ingest.services import feed_poll


class FeedProblemInline(admin.TabularInline):
    model = FeedProblem
    extra = 0
    can_delete = False
    fields = ["at", "guid", "message"]
    readonly_fields = fields
    ordering = ["-at"]
    max_num = 0

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-at", "-pk")


class AgencyFeedForm(forms.ModelForm):
    url = forms.URLField(label="Address", max_length=1000, assume_scheme="https")

    class Meta:
        model = AgencyFeed
        fields = [
            "name",
            "url",
            "format",
            "section",
            "credit",
            "owner",
            "active",
            "poll_minutes",
        ]


@admin.register(AgencyFeed)
class AgencyFeedAdmin(admin.ModelAdmin):
    form = AgencyFeedForm
    list_display = [
        "name",
        "url",
        "format",
        "section",
        "active",
        "last_success_at",
        "failures",
        "last_error",
    ]
    list_filter = ["active", "format", "section"]
    search_fields = ["name", "url", "credit"]
    autocomplete_fields = ["owner"]
    readonly_fields = [
        "last_polled_at",
        "last_success_at",
        "failures",
        "last_error",
        "etag",
        "last_modified",
        "next_poll_at",
    ]
    inlines = [FeedProblemInline]
    actions = ["read_now"]

    @admin.action(description="Read the selected feeds now")
    def read_now(self, request, queryset):
        for feed in queryset:
            result = feed_poll(feed_id=feed.pk, force=True)
            if result is None:
                self.message_user(request, f"{feed}: paused, not read.")
            elif result.error:
                self.message_user(request, f"{feed}: {result.error}", level="error")
            else:
                self.message_user(
                    request,
                    f"{feed}: {result.created} new, {result.revised} revised, "
                    f"{result.noted} noted, {result.problems} problem(s)"
                    + (" (not modified)" if result.not_modified else "")
                    + ".",
                )


@admin.register(IngestedItem)
class IngestedItemAdmin(admin.ModelAdmin):
    list_display = ["guid", "feed", "version", "article", "updated_at"]
    list_filter = ["feed"]
    search_fields = ["guid", "article__headline"]
    list_select_related = ["feed", "article"]
    readonly_fields = [
        "feed",
        "guid",
        "version",
        "article",
        "first_seen_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False
