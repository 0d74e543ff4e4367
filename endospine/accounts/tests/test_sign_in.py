import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from endospine.accounts.models import ApiToken
from endospine.core import clock


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.reset()


def sign_in(username, password, client=None):
    client = client or Client()
    return client, client.post("/accounts/login/", {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2_in_production():
    # Tests swap in a fast hasher; the project's own settings module is what ships.
    from endospine import settings as shipped

    assert shipped.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_patient_signs_in_and_lands_home(cast, password):
    client, response = sign_in("pat", password)
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == "/episodes/home/"


def test_a_wrong_password_says_so_without_saying_which_part(cast):
    _, response = sign_in("pat", "wrong")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_five_failures_lock_the_username_then_it_cools_off(cast, password, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in("pat", "wrong")
    _, response = sign_in("pat", password)
    assert "Too many attempts" in response.content.decode()
    clock.advance(timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS + 1))
    _, response = sign_in("pat", password)
    assert response.status_code == 302


def test_a_lock_on_one_username_does_not_block_another(cast, password, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in("pat", "wrong", Client(REMOTE_ADDR="10.0.0.9"))
    _, response = sign_in("quinn", password)
    assert response.status_code == 302


def test_a_success_clears_earlier_failures(cast, password, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in("pat", "wrong")
    sign_in("pat", password)
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in("pat", "wrong")
    _, response = sign_in("pat", password)
    assert response.status_code == 302


def test_staff_must_pass_totp_before_any_page(
    cast, password, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_REQUIRE_2FA = True
    cast.nurse.email = "nina@north.invalid"
    cast.nurse.save()
    client, response = sign_in("nina_nurse", password)
    assert response["Location"] == "/accounts/2fa/setup/"
    assert client.get("/episodes/")["Location"] == "/accounts/2fa/setup/"
    assert client.get("/api/v1/episodes").status_code == 401
    with django_capture_on_commit_callbacks(execute=True):
        assert b"<svg" not in client.get("/accounts/2fa/setup/").content  # password alone: no
    link = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)
    assert client.get(link)["Location"] == "/accounts/2fa/setup/"
    assert b"<svg" in client.get("/accounts/2fa/setup/").content
    device = TOTPDevice.objects.get(user=cast.nurse)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post("/accounts/2fa/setup/", {"code": code})
    assert response.status_code == 302
    assert client.get("/episodes/").status_code == 200
    assert client.get("/api/v1/episodes").status_code == 200


def test_staff_with_a_device_are_asked_for_a_code(cast, password, settings):
    settings.STAFF_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=cast.surgeon, name="phone", confirmed=True)
    client, response = sign_in("sam_surgeon", password)
    assert response["Location"] == "/accounts/2fa/verify/"
    assert client.post("/accounts/2fa/verify/", {"code": "12345"}).status_code == 200
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/accounts/2fa/verify/", {"code": code}).status_code == 302
    assert client.get("/episodes/").status_code == 200


def test_patients_do_not_need_totp(cast, password, settings):
    settings.STAFF_REQUIRE_2FA = True
    client, _ = sign_in("pat", password)
    assert client.get("/episodes/home/").status_code == 200


def test_an_idle_session_expires(cast, password, settings, monkeypatch):
    client, _ = sign_in("pat", password)
    assert client.get("/episodes/home/").status_code == 200
    later = time.time() + settings.SESSION_IDLE_SECONDS + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/episodes/home/").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(
    cast, password, settings, monkeypatch
):
    client, _ = sign_in("pat", password)
    start = time.time()
    step = settings.SESSION_IDLE_SECONDS - 60
    now = start
    while now - start <= settings.SESSION_COOKIE_AGE:
        now += step
        monkeypatch.setattr(time, "time", lambda now=now: now)
        response = client.get("/episodes/home/")
    assert response.status_code == 302


def test_session_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_sign_out_needs_a_post(cast, password):
    client, _ = sign_in("pat", password)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/episodes/home/").status_code == 302


def test_token_command_prints_a_working_token(cast, capsys):
    call_command("token", "create", "nina_nurse")
    raw = capsys.readouterr().out.strip()
    assert ApiToken.find(raw).user == cast.nurse
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/episodes").status_code == 200
