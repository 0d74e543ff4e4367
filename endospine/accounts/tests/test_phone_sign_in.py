"""Issue 11 item 9 and issue 9 finding 7: signing in on a phone, failures audited."""

import re
from datetime import timedelta

from django.core import mail
from django.test import Client

from endospine.accounts.models import LoginFailure, SentLink
from endospine.audit.models import AuditEvent
from endospine.core import clock


def sign_in(username, password, client=None):
    client = client or Client()
    return client, client.post("/accounts/login/", {"username": username, "password": password})


def test_username_and_email_work_whatever_the_case(cast, password):
    cast.pat.user.email = "Pat.Doe@Example.org"
    cast.pat.user.save()
    for typed in ("Pat", "PAT", " pat ", "pat.doe@example.org", "PAT.DOE@EXAMPLE.ORG"):
        _, response = sign_in(typed, password)
        assert response.status_code == 302, typed


def test_the_patient_record_email_also_works(cast, password):
    _, response = sign_in(cast.pat.email.upper(), password)  # on the Patient, not the User
    assert response.status_code == 302


def test_sign_in_fields_suit_a_phone(cast):
    page = Client().get("/accounts/login/").content.decode()
    field = re.search(r"<input[^>]*name=\"username\"[^>]*>", page).group(0)
    assert 'autocapitalize="none"' in field and 'autocomplete="username"' in field
    assert 'autocomplete="current-password"' in page
    assert "/accounts/forgot/" in page
    assert "+1 555 0100" in page or "tel:" in page


def test_failed_sign_ins_are_audited_without_the_password_or_typed_text(cast):
    sign_in("Pat", "my-secret-guess")
    sign_in("hunter2-typed-in-the-wrong-box", "whatever")
    known = AuditEvent.objects.get(action="login_failed", record_id=str(cast.pat.user.pk))
    assert known.patient_id == cast.pat.pk and known.detail == "wrong password"
    assert known.address == "127.0.0.1" and known.actor is None
    unknown = AuditEvent.objects.get(action="login_failed", detail="unknown account")
    assert unknown.record_type == "accounts.loginfailure"
    stored = " ".join(
        f"{e.record_id} {e.detail} {e.actor_label}" for e in AuditEvent.objects.all()
    ) + " ".join(LoginFailure.objects.values_list("username", flat=True))
    assert "hunter2" not in stored and "my-secret-guess" not in stored


def test_username_and_email_share_one_lock_and_the_lock_page_helps(cast, password, settings):
    for typed in ("pat", "PAT", cast.pat.email, "Pat", "pat"):
        sign_in(typed, "wrong")
    _, response = sign_in(cast.pat.email, password)
    assert response.status_code == 429
    page = response.content.decode()
    unlock = clock.now() + timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS)
    assert "15 minutes" in page and unlock.strftime("%H:%M")[:4] in page
    assert "/accounts/forgot/" in page and "+1 555 0100" in page and "911" in page
    assert AuditEvent.objects.filter(action="login_failed", detail="locked").count() == 1


def test_forgot_password_sends_a_link_and_never_says_whether_the_account_exists(
    cast, password, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/forgot/", {"username": "PAT"})
        unknown = client.post("/accounts/forgot/", {"username": "nobody-here"})
    assert known.status_code == unknown.status_code == 200

    def page(response: object) -> str:  # the form tokens differ per response, nothing else may
        body = response.content.decode().split("<main")[1]  # type: ignore[attr-defined]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)

    assert page(known) == page(unknown)
    assert "+1 555 0100" in known.content.decode()
    assert [m.to for m in mail.outbox] == [[cast.pat.email]]
    # The link lifts the pause and sets a new password.
    for _ in range(5):
        sign_in("pat", "wrong")
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = "a long walk by the river"
    client.post(form.request["PATH_INFO"], {"new_password1": new, "new_password2": new})
    assert sign_in("pat", new)[1].status_code == 302


def test_forgot_password_sends_at_most_three_links_an_hour(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            Client().post("/accounts/forgot/", {"username": "pat"})
    assert len(mail.outbox) == 3 == SentLink.objects.filter(user=cast.pat.user).count()
