from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from endospine.accounts.models import ApiToken, Membership, Site, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "memberships__site")
    # Staff phones: alerts reach people by SMS as well as by e-mail.
    fieldsets = (*BaseUserAdmin.fieldsets, ("EndoSpine", {"fields": ("role", "phone")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("EndoSpine", {"fields": ("role",)}))
    inlines = [MembershipInline]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "emergency_number",
        "care_team_phone",
        "on_call_phone",
        "on_call_email",
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "digest", "created_at", "last_used_at")
