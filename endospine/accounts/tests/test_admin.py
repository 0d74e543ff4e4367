"""Finding 1 and 4 of issue 9: the admin manages staff and sites, never patients.

Its sign-in is the one sign-in page, with its throttle and audit.
"""

from django.test import Client

from endospine.accounts.models import LoginFailure
from endospine.audit.models import AuditEvent


def test_the_admin_lists_and_finds_no_patient(cast):
    admin = cast.client_for(cast.admin)
    listing = admin.get("/admin/accounts/user/").content.decode()
    assert "nina_nurse" in listing
    assert "pat" not in listing.split("result_list")[1].split("</table>")[0].split()
    searched = admin.get("/admin/accounts/user/", {"q": "pat"}).content.decode()
    assert "0 users" in searched or "0 results" in searched
    assert cast.pat.email not in listing + searched


def test_no_change_or_password_form_for_a_patient(cast):
    admin = cast.client_for(cast.admin)
    user_id = cast.pat.user.pk
    for url in (
        f"/admin/accounts/user/{user_id}/change/",
        f"/admin/accounts/user/{user_id}/password/",
    ):
        response = admin.get(url, follow=True)
        assert "Pat" not in response.content.decode().split("<main")[-1].split("</main>")[0]
    response = admin.post(
        f"/admin/accounts/user/{user_id}/password/",
        {
            "password1": "taken over at last",
            "password2": "taken over at last",
            "usable_password": "true",
        },
    )
    assert response.status_code in (302, 404)
    assert not Client().login(username="pat", password="taken over at last")


def test_admin_cannot_make_a_patient_account(cast):
    admin = cast.client_for(cast.admin)
    page = admin.get("/admin/accounts/user/add/").content.decode()
    assert 'value="patient"' not in page


def test_admin_changes_reach_the_audit_trail(cast):
    admin = cast.client_for(cast.admin)
    response = admin.post(
        f"/admin/accounts/site/{cast.north.pk}/change/",
        {
            "name": "North Spine Clinic",
            "slug": "north",
            "emergency_number": "911",
            "care_team_phone": "+1 555 0111",
            "time_zone": "UTC",
            "settings": "{}",
        },
    )
    assert response.status_code == 302, response.content
    row = AuditEvent.objects.get(record_type="accounts.site", action="update")
    assert row.actor == cast.admin and row.detail == "admin" and row.address == "127.0.0.1"


def test_admin_login_is_the_throttled_audited_sign_in(cast, settings):
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    # A POST to the admin's form signs nobody in; it is sent to the one sign-in.
    posted = client.post("/admin/login/", {"username": "ada_admin", "password": "wrong"})
    assert posted.status_code == 302 and "_auth_user_id" not in client.session
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/?next=/admin/", {"username": "ada_admin", "password": "x"})
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURE_LIMIT
    assert AuditEvent.objects.filter(action="login_failed", actor=None).count() == 5
    locked = client.post(
        "/accounts/login/?next=/admin/",
        {"username": "ada_admin", "password": "correct-horse-battery-staple"},
    )
    assert locked.status_code == 429


def test_admin_signs_in_and_lands_on_the_admin(cast, password):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "ada_admin", "password": password, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    evil = Client().post(
        "/accounts/login/",
        {"username": "ada_admin", "password": password, "next": "https://evil.example/"},
    )
    assert evil["Location"] == "/"
