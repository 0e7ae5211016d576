"""Webhook subscriptions and the delivery log in the admin: addresses are
checked against the link check's rules; deliveries can be sent again."""

from django import forms
from django.conf import settings
from django.contrib import admin

from factcheck import links
from webhooks.models import Delivery, DeliveryAttempt, EventKind, Subscription
from webhooks.services import delivery_redeliver, subscription_enable


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label="Address", max_length=1000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=EventKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ["name", "url", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            links.check_destination(url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE)
        except links.RefusedAddress as error:
            raise forms.ValidationError(
                f"Webhooks are sent only to public web addresses: {error}."
            ) from None
        return url


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "active", "failures", "disabled_at", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret", "failures", "disabled_at", "disabled_reason"]
    actions = ["enable"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Turn on again and send what waits")
    def enable(self, request, queryset):
        for subscription in queryset:
            subscription_enable(subscription_id=subscription.pk)
        self.message_user(request, f"{queryset.count()} subscription(s) on.")


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["at", "status_code", "response_ms", "error"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "last_response_ms",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "subscription", "event__kind"]
    list_select_related = ["event", "subscription"]
    readonly_fields = [
        "subscription",
        "event",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_status_code",
        "last_response_ms",
        "last_error",
    ]
    inlines = [DeliveryAttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Deliver again")
    def redeliver(self, request, queryset):
        for delivery in queryset:
            delivery_redeliver(delivery_id=delivery.pk)
        self.message_user(request, f"{queryset.count()} delivery(ies) sent again.")
