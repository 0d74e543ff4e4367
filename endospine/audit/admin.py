from django.contrib import admin

from endospine.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, even for administrators."""

    list_display = ("at", "actor_label", "action", "record_type", "record_id", "address")
    list_filter = ("action", "record_type")
    search_fields = ("actor_label", "record_id", "patient_id")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
