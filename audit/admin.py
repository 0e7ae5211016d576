from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes audit entries by hand."""

    list_display = [
        "created_at",
        "actor",
        "action",
        "article",
        "from_state",
        "to_state",
        "message",
    ]
    list_filter = ["action", "created_at"]
    list_select_related = ["actor", "article"]
    search_fields = ["article__headline", "message", "actor__username"]
    date_hierarchy = "created_at"
    # Not editable fields, shown anyway: when, and the entry's place in the chain.
    readonly_fields = ["created_at", "prev_hash", "entry_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
