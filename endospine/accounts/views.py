"""Sign-in, sign-out, forgotten passwords, sessions and staff two-factor pages."""

import time
from base64 import b32encode
from datetime import timedelta
from io import BytesIO
from uuid import UUID

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from endospine.accounts import links, mfa, services, throttle
from endospine.accounts.backends import find_account
from endospine.accounts.identity import current_user
from endospine.accounts.models import LinkPurpose, SentLink, User
from endospine.audit.models import AuditAction
from endospine.audit.services import client_address, record
from endospine.core import clock
from endospine.core.ratelimit import rate_limited

# Phones capitalise and correct the first letter: switch both off, and name
# the fields so password managers fill them.
_NAME_ATTRS = {
    "autocomplete": "username",
    "autocapitalize": "none",
    "autocorrect": "off",
    "spellcheck": "false",
}


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=254,
        label=gettext_lazy("Username or e-mail"),
        widget=forms.TextInput(attrs=_NAME_ATTRS),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ForgotForm(forms.Form):
    username = forms.CharField(
        max_length=254,
        label=gettext_lazy("Username or e-mail"),
        widget=forms.TextInput(attrs=_NAME_ATTRS),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{6}$",
        label="6-digit code from your authenticator app",
        error_messages={"invalid": "Enter the 6 digits shown in your app."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return ""


def _after_password(request: HttpRequest, user: User) -> HttpResponse:
    if mfa.required_for(user) and not mfa.confirmed_device(user):
        return redirect("accounts:setup_2fa")
    if mfa.required_for(user):
        return redirect("accounts:verify")
    return redirect(_safe_next(request) or "core:home")


def _refuse(request: HttpRequest, form: SignInForm, key: str, user: User | None) -> None:
    failure = throttle.note_failure(key, client_address(request))
    # ASVS 16.3.1: the account when the typed name names one; else the
    # throttle row, whose key is a hash (the typed text may be a password).
    record(
        request=request,
        action=AuditAction.LOGIN_FAILED,
        obj=user or failure,
        patient_id=getattr(getattr(user, "patient", None), "pk", None),
        detail="wrong password" if user else "unknown account",
    )
    form.add_error(None, _("That username and password do not match."))


def login(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["username"]
        account = find_account(typed)
        key = throttle.key_for(typed, account)
        until = throttle.locked_until(key, client_address(request))
        if until is not None:
            return _locked(request, until, account)
        user = auth.authenticate(request, username=typed, password=form.cleaned_data["password"])
        if user is None:
            _refuse(request, form, key, account)
        else:
            throttle.clear(key)
            auth.login(request, user)
            request.session["signed_in_at"] = int(time.time())
            record(request=request, action=AuditAction.LOGIN, obj=user, detail="password")
            return _after_password(request, user)
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "accounts/login.html", context)


def _locked(request: HttpRequest, until: object, account: User | None) -> HttpResponse:
    if account is not None:
        record(request=request, action=AuditAction.LOGIN_FAILED, obj=account, detail="locked")
    minutes = max(1, int((until - clock.now()).total_seconds() + 59) // 60)  # type: ignore[operator]
    context = {"until": until, "minutes": minutes}
    return render(request, "accounts/locked.html", context, status=429)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in is ours: one form, one throttle, one audit trail."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


@rate_limited("forgot")
def forgot(request: HttpRequest) -> HttpResponse:
    """Send a one-time link to the account's own e-mail or phone.

    The answer is the same whether or not the account exists (no
    enumeration); at most three links an hour go to one account.
    """
    form = ForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = find_account(form.cleaned_data["username"])
        recent = clock.now() - timedelta(hours=1)
        if (
            user is not None
            and user.is_active
            and SentLink.objects.filter(user=user, sent_at__gte=recent).count() < 3
        ):
            links.link_send(user=user, purpose=LinkPurpose.SET_PASSWORD, request=request)
        return render(request, "accounts/forgot_sent.html")
    return render(request, "accounts/forgot.html", {"form": form})


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Choosing a password ends every other session and lifts a sign-in pause."""

    template_name = "accounts/set_password.html"

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        user: User = form.user
        throttle.clear(throttle.key_for("", user))
        record(
            request=self.request,
            action=AuditAction.UPDATE,
            obj=user,
            actor=user,
            detail="password set",
        )
        return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(request=request, action=AuditAction.LOGOUT, obj=request.user)
    auth.logout(request)
    return redirect("accounts:login")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your sign-in: change the password, sign out your other sessions."""
    return render(request, "accounts/account.html")


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    services.sessions_end(user=user, actor=user, request=request, keep_current=True)
    messages.success(request, _("You are signed out everywhere else."))
    return redirect("accounts:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password signs out every other session (ASVS 7.4.3)."""

    template_name = "accounts/password_change.html"

    def get_success_url(self) -> str:
        return reverse("accounts:account")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user = current_user(self.request)
        services.sessions_end(user=user, actor=user, request=self.request, keep_current=True)
        messages.success(self.request, _("Password changed. Your other sessions are signed out."))
        return response


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    device = mfa.confirmed_device(current_user(request))
    if device is None:
        return redirect("accounts:setup_2fa")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_safe_next(request) or "core:home")
        form.add_error("code", "That code is not right or has expired.")
    return render(request, "accounts/verify.html", {"form": form})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


_ENROL_KEY = "enrol_2fa_for"


@login_required
def enrol_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The out-of-band link: proves the person also holds the account's e-mail or phone."""
    user = current_user(request)
    try:
        uid = UUID(force_str(urlsafe_base64_decode(uidb64)))
    except ValueError:
        uid = None
    if uid != user.pk or not links.enrolment_tokens.check_token(user, token):
        return render(request, "accounts/enrol_invalid.html", status=400)
    request.session[_ENROL_KEY] = str(user.pk)
    return redirect("accounts:setup_2fa")


def _enrolment_link_sent(request: HttpRequest, user: User) -> SentLink | None:
    """Send the set-up link once per ten minutes; the latest sending."""
    last = links.last_sent(user, LinkPurpose.ENROL_2FA)
    if last is None or last.sent_at < clock.now() - timedelta(minutes=10):
        last = links.link_send(
            user=user, purpose=LinkPurpose.ENROL_2FA, request=request, actor=user
        )
    return last


@login_required
def setup_2fa(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if mfa.confirmed_device(user):
        return redirect("accounts:verify")
    if request.session.get(_ENROL_KEY) != str(user.pk):
        sent = _enrolment_link_sent(request, user)
        return render(request, "accounts/enrol_sent.html", {"sent": sent})
    device = mfa.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            mfa.device_confirm(device=device, request=request)
            otp_login(request, device)
            request.session.pop(_ENROL_KEY, None)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect("core:home")
        form.add_error("code", "That code is not right or has expired.")
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/setup_2fa.html", context)
