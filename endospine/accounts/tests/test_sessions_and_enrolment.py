"""Issue 9: ending sessions (ASVS 7.4.3, 7.4.5) and two-factor enrolment (finding 5)."""

import re

from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from endospine.audit.models import AuditEvent


def signed_in(username, password):
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": password})
    return client


def home_ok(client):
    return client.get("/episodes/home/").status_code == 200


def test_sign_out_my_other_sessions(cast, password):
    phone, laptop = signed_in("pat", password), signed_in("pat", password)
    assert home_ok(phone) and home_ok(laptop)
    assert "Sign out my other sessions" in phone.get("/accounts/me/").content.decode()
    phone.post("/accounts/me/end-other-sessions/")
    assert home_ok(phone) and not home_ok(laptop)
    row = AuditEvent.objects.get(detail="other sessions ended")
    assert row.actor == cast.pat.user and row.patient_id == cast.pat.pk


def test_changing_the_password_signs_out_the_other_sessions(cast, password):
    phone, laptop = signed_in("pat", password), signed_in("pat", password)
    new = "a lighthouse in the fog"
    response = phone.post(
        "/accounts/me/password/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert home_ok(phone) and not home_ok(laptop)


def test_the_care_team_signs_a_patient_out_everywhere(cast, password):
    phone = signed_in("pat", password)
    nurse = cast.client_for(cast.nurse)
    assert (
        "Sign the patient out everywhere"
        in nurse.get(f"/episodes/{cast.episode.pk}/").content.decode()
    )
    assert nurse.post(f"/episodes/{cast.episode.pk}/end-sessions/").status_code == 302
    assert not home_ok(phone)
    row = AuditEvent.objects.get(detail="all sessions ended")
    assert row.actor == cast.nurse and row.patient_id == cast.pat.pk
    other_site = cast.client_for(cast.nurse_south)
    assert other_site.post(f"/episodes/{cast.episode.pk}/end-sessions/").status_code == 404


def test_an_admin_ends_a_staff_members_sessions(cast, password):
    nurse = signed_in("nina_nurse", password)
    assert nurse.get("/episodes/").status_code == 200
    admin = cast.client_for(cast.admin)
    admin.post(
        "/admin/accounts/user/",
        {"action": "end_sessions", "_selected_action": [str(cast.nurse.pk)]},
    )
    assert nurse.get("/episodes/").status_code == 302
    assert AuditEvent.objects.filter(detail="all sessions ended", actor=cast.admin).count() == 1


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_stolen_password_cannot_enrol_an_authenticator(
    cast, password, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_REQUIRE_2FA = True
    cast.surgeon.email = "sam@north.invalid"
    cast.surgeon.save()
    thief = signed_in("sam_surgeon", password)
    with django_capture_on_commit_callbacks(execute=True):
        page = thief.get("/accounts/2fa/setup/").content.decode()
    assert "<svg" not in page and "s***@north.invalid" in page
    # Posting a code for a device made some other way changes nothing.
    assert thief.post("/accounts/2fa/setup/", {"code": "123456"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=cast.surgeon, confirmed=True).exists()
    # A link for another account does not open it either.
    link = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)
    assert cast.client_for(cast.nurse).get(link).status_code == 400
    # The owner, who reads their own mail, finishes the set-up; it is audited.
    assert thief.get(link).status_code == 302
    assert "<svg" in thief.get("/accounts/2fa/setup/").content.decode()
    device = TOTPDevice.objects.get(user=cast.surgeon)
    assert thief.post("/accounts/2fa/setup/", {"code": _code(device)}).status_code == 302
    assert AuditEvent.objects.filter(detail="two-factor enrolled", actor=cast.surgeon).exists()
    assert thief.get(link).status_code == 400  # void once an authenticator is confirmed
