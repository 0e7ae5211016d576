"""Staff API tokens in the admin: created (the key shown once) and revoked."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from newsroom.hygiene import validate_sane_date


class ApiTokenForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True, is_staff=True),
        help_text="The token acts as this person, with their role.",
    )
    # The model's field has no bound (the api app takes no migration for it).
    expires_at = forms.DateTimeField(
        required=False,
        validators=[validate_sane_date],
        help_text="Empty: valid until revoked.",
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scope", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "scope",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    actions = ["revoke"]
    readonly_fields = [
        "user",
        "name",
        "scope",
        "expires_at",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return ApiTokenForm.Meta.fields if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # Revoked, not deleted: the list shows what existed.

    def add_view(self, request, form_url="", extra_context=None):
        form = ApiTokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                token, key = api_token_create(
                    actor=request.user,
                    user=data["user"],
                    name=data["name"],
                    scope=data["scope"],
                    expires_at=data["expires_at"],
                )
            except (PermissionDenied, ValidationError) as error:
                # Not redisplayed with the form: the admin's own save must
                # never run for this model (it would store no digest).
                self.message_user(request, str(error), messages.ERROR)
                return redirect("admin:api_apitoken_changelist")
            else:
                # Shown in this answer only: never stored, never in a message
                # cookie.
                return TemplateResponse(
                    request,
                    "admin/api/apitoken/created.html",
                    {
                        **self.admin_site.each_context(request),
                        "opts": self.opts,
                        "token": token,
                        "key": key,
                        "title": "API token created",
                    },
                )
        return super().add_view(request, form_url, extra_context)

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token_id=token.pk)
        self.message_user(request, f"Revoked {queryset.count()} token(s).")
