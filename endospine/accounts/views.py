"""Sign-in, sign-out and staff two-factor pages."""

import time
from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from endospine.accounts import mfa, throttle
from endospine.accounts.identity import current_user
from endospine.accounts.models import User
from endospine.audit.models import AuditAction
from endospine.audit.services import client_address, record


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{6}$",
        label="6-digit code from your authenticator app",
        error_messages={"invalid": "Enter the 6 digits shown in your app."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _after_password(request: HttpRequest, user: User) -> HttpResponse:
    if not mfa.required_for(user):
        return redirect("core:home")
    return redirect("accounts:verify" if mfa.confirmed_device(user) else "accounts:setup_2fa")


def login(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = client_address(request)
        wait = throttle.seconds_locked(username, address)
        if wait:
            minutes = (wait + 59) // 60
            form.add_error(None, f"Too many attempts. Try again in {minutes} minute(s).")
        else:
            user = auth.authenticate(
                request, username=username, password=form.cleaned_data["password"]
            )
            if user is None:
                throttle.note_failure(username, address)
                form.add_error(None, "That username and password do not match.")
            else:
                throttle.clear(username)
                auth.login(request, user)
                request.session["signed_in_at"] = int(time.time())
                record(request=request, action=AuditAction.LOGIN, obj=user, detail="password")
                return _after_password(request, user)
    return render(request, "accounts/login.html", {"form": form})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(request=request, action=AuditAction.LOGOUT, obj=request.user)
    auth.logout(request)
    return redirect("accounts:login")


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    device = mfa.confirmed_device(current_user(request))
    if device is None:
        return redirect("accounts:setup_2fa")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect("core:home")
        form.add_error("code", "That code is not right or has expired.")
    return render(request, "accounts/verify.html", {"form": form})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def setup_2fa(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if mfa.confirmed_device(user):
        return redirect("accounts:verify")
    device = mfa.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect("core:home")
        form.add_error("code", "That code is not right or has expired.")
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/setup_2fa.html", context)
