"""Background jobs in the admin: read-only, with "send again" for given-up ones."""

from django.contrib import admin, messages

from outbox import services
from outbox.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "task", "key", "state", "attempts", "due_at"]
    list_filter = ["task", ("failed_at", admin.EmptyFieldListFilter)]
    search_fields = ["key", "task"]
    actions = ["send_again"]

    @admin.display(description="State")
    def state(self, job):
        return job.state

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_send_again_permission(self, request):
        return request.user.is_superuser

    @admin.action(description="Send selected jobs again", permissions=["send_again"])
    def send_again(self, request, queryset):
        for job in queryset:
            services.job_retry(job_id=job.pk)
        self.message_user(request, f"Sending {len(queryset)} again.", messages.SUCCESS)
