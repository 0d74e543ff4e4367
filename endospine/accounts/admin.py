"""The Django admin: staff accounts and sites only (finding 1 of issue 9).

Admins never see a patient's account: patients are not listed, not
searchable, and have no change or password form here. A locked-out patient
gets a new one-time link from their care team (the episode page or API).
Every change made here is also written to the audit trail.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from endospine.accounts import links, services
from endospine.accounts.models import ApiToken, LinkPurpose, Membership, Role, Site, User
from endospine.audit.models import AuditAction
from endospine.audit.services import record

_STAFF_CHOICES = [(value, label) for value, label in Role.choices if value != Role.PATIENT]


class AuditedAdmin(admin.ModelAdmin):
    """Admin changes reach the audit trail, with who, what and from where."""

    def _audit(self, request: HttpRequest, action: str, obj: Model) -> None:
        record(request=request, action=action, obj=obj, detail="admin")

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, AuditAction.CREATE, obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, AuditAction.UPDATE, obj)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, AuditAction.DELETE, obj)
        return super().log_deletions(request, queryset)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class StaffChangeForm(UserChangeForm):
    role = forms.ChoiceField(choices=_STAFF_CHOICES)


class StaffCreationForm(AdminUserCreationForm):
    role = forms.ChoiceField(choices=_STAFF_CHOICES)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "memberships__site")
    # Staff phones: alerts reach people by SMS as well as by e-mail.
    fieldsets = (*BaseUserAdmin.fieldsets, ("EndoSpine", {"fields": ("role", "phone")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("EndoSpine", {"fields": ("role",)}))
    inlines = [MembershipInline]
    actions = ["end_sessions", "send_two_factor_link"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).exclude(role=Role.PATIENT)

    @admin.action(description="Sign the selected people out everywhere")
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.sessions_end(user=user, actor=request.user, request=request)  # type: ignore[arg-type]
        messages.success(request, f"{queryset.count()} signed out everywhere.")

    @admin.action(description="Send a two-factor set-up link to their own e-mail or phone")
    def send_two_factor_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            links.link_send(
                user=user,
                purpose=LinkPurpose.ENROL_2FA,
                request=request,
                actor=request.user,  # type: ignore[arg-type]
            )
        messages.success(request, "Set-up links sent (to those with an e-mail or phone).")


@admin.register(Site)
class SiteAdmin(AuditedAdmin):
    list_display = (
        "name",
        "slug",
        "emergency_number",
        "care_team_phone",
        "on_call_phone",
        "on_call_email",
    )


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "digest", "created_at", "last_used_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return super().get_queryset(request).exclude(user__role=Role.PATIENT)


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class StaffTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):
    """Staff authenticators only; an admin may enrol one with the person present."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[TOTPDevice]:
        return super().get_queryset(request).exclude(user__role=Role.PATIENT)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.exclude(role=Role.PATIENT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
