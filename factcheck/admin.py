"""Admin for the source registry and claims. Every change goes through
``factcheck.services``; actions only collect input and report the result."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from factcheck import services
from factcheck.exceptions import ClaimConflict, ClaimError
from factcheck.forms import (
    ClaimAddForm,
    ClaimAttributionForm,
    ClaimSplitForm,
    SourceMergeForm,
)
from factcheck.models import Claim, Source, SourceRole


class SourceRoleInline(admin.TabularInline):
    model = SourceRole
    extra = 0


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "claim_count", "confirmed", "protected"]
    list_filter = ["kind", "confirmed", "protected", "country"]
    search_fields = ["name", "aliases", "affiliation", "description"]
    ordering = ["name"]
    inlines = [SourceRoleInline]
    actions = ["merge_sources"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # Through the service, so that readers' cached pages showing it are dropped
        # (once the whole change, roles included, has committed).
        services.source_save(source=obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError:
            # Someone saved the name between this form's check and the service's
            # (ValidationError) or the database's (SourceNameTaken); nothing was
            # written. Shown again, the form says the name is taken, with
            # everything typed still in it.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                live_claims=Count(
                    "claims", filter=~Q(claims__anchor=Claim.Anchor.DETACHED)
                )
            )
        )

    @admin.display(description="Claims", ordering="live_claims")
    def claim_count(self, source):
        return source.live_claims

    @admin.action(description="Merge selected sources into one", permissions=["delete"])
    def merge_sources(self, request, queryset):
        form = SourceMergeForm(request.POST if "keep" in request.POST else None)
        form.fields["keep"].queryset = queryset
        if form.is_bound and form.is_valid():
            keep = form.cleaned_data["keep"]
            for duplicate in queryset.exclude(pk=keep.pk):
                services.source_merge(keep_id=keep.pk, duplicate_id=duplicate.pk)
            self.message_user(request, f"Merged into {keep}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "sources": queryset,
            "title": "Merge sources",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/factcheck/source/merge.html", context)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    form = ClaimAttributionForm
    list_display = [
        "short_text",
        "article",
        "kind",
        "speaker",
        "channel",
        "origin",
        "anchor",
        "review",
    ]
    list_filter = ["kind", "origin", "anchor", "review"]
    list_select_related = ["article", "speaker", "channel"]
    search_fields = ["text", "article__headline", "speaker__name"]
    autocomplete_fields = ["speaker", "channel"]
    fields = [
        "article",
        "text",
        "previous_text",
        "kind",
        "speaker",
        "speaker_text",
        "channel",
        "cue",
        "origin",
        "anchor",
        "review",
        "seen_version",
    ]
    readonly_fields = [
        "article",
        "text",
        "previous_text",
        "speaker_text",
        "origin",
        "anchor",
        "review",
    ]
    actions = ["accept_claims", "dismiss_claims", "merge_claims"]

    @admin.display(description="Claim")
    def short_text(self, claim):
        return claim.text[:90]

    def save_model(self, request, obj, form, change):
        # The form has checked the attribution rule, so the service accepts it.
        services.claim_correct(
            claim_id=obj.pk,
            actor=request.user,
            kind=obj.kind,
            speaker=obj.speaker,
            channel=obj.channel,
            cue=obj.cue,
            expected_version=form.cleaned_data.get("seen_version"),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ClaimConflict as conflict:
            self.message_user(request, f"Not saved. {conflict}", messages.ERROR)
            return redirect("admin:factcheck_claim_change", conflict.claim.pk)

    @admin.action(description="Accept selected proposals", permissions=["change"])
    def accept_claims(self, request, queryset):
        for claim in queryset:
            services.claim_accept(claim_id=claim.pk, actor=request.user)
        self.message_user(
            request, f"Accepted {len(queryset)} claims.", messages.SUCCESS
        )

    @admin.action(description="Dismiss selected claims", permissions=["change"])
    def dismiss_claims(self, request, queryset):
        dismissed = 0
        for claim in queryset:
            try:
                services.claim_dismiss(claim_id=claim.pk, actor=request.user)
            except PermissionDenied as error:
                self.message_user(request, f"“{claim}”: {error}", messages.ERROR)
            else:
                dismissed += 1
        if dismissed:
            self.message_user(
                request, f"Dismissed {dismissed} claims.", messages.SUCCESS
            )

    @admin.action(description="Merge selected claims into one", permissions=["change"])
    def merge_claims(self, request, queryset):
        try:
            merged = services.claim_merge(
                claim_ids=[c.pk for c in queryset], actor=request.user
            )
        except ClaimError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, f"Merged into: {merged}", messages.SUCCESS)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/split/", wrap(self.split_view), name="factcheck_claim_split"
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied("You may not add claims.")
        form = ClaimAddForm(request.POST or None, initial=request.GET.dict())
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                claim = services.claim_create(
                    article_id=data["article"].pk,
                    actor=request.user,
                    start=data["start"],
                    end=data["end"],
                    kind=data["kind"],
                    speaker=data["speaker"],
                    channel=data["channel"],
                    cue=data["cue"],
                )
            except ClaimError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, "Claim added.", messages.SUCCESS)
                return redirect("admin:factcheck_claim_change", claim.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Add a claim by hand",
        }
        return TemplateResponse(request, "admin/factcheck/claim/add.html", context)

    def split_view(self, request, pk):
        claim = get_object_or_404(Claim, pk=pk)
        if not self.has_change_permission(request, claim):
            raise PermissionDenied("You may not change claims.")
        form = ClaimSplitForm(request.POST or None, claim=claim)
        if request.method == "POST" and form.is_valid():
            try:
                services.claim_split(
                    claim_id=claim.pk, actor=request.user, at=form.cleaned_data["at"]
                )
            except ClaimError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, "Claim split in two.", messages.SUCCESS)
                return redirect("admin:factcheck_claim_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "claim": claim,
            "title": "Split a claim",
        }
        return TemplateResponse(request, "admin/factcheck/claim/split.html", context)
