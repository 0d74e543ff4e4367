import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from endospine.accounts.models import ApiToken, User
from endospine.audit.models import AuditEvent
from endospine.core.sms import MemorySmsBackend
from endospine.journey.models import Episode, Patient, Stage

API = "/api/v1/patients"


def payload(cast, **changes):
    body = {
        "site": str(cast.north.pk),
        "given_name": "Robin",
        "family_name": "Hale",
        "date_of_birth": "1968-03-02",
        "mrn": "N-4242",
        "username": "robin.hale",
        "title": "L4-L5 disc, right leg pain",
        "email": "robin@example.invalid",
        "surgeon": str(cast.surgeon.pk),
        "nurse": str(cast.nurse.pk),
    }
    body.update(changes)
    return body


def api_as(user):
    _, raw = ApiToken.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_coordinator_registers_a_patient_who_then_sets_a_password(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(cast.coordinator).post(
            API, payload(cast), content_type="application/json"
        )
    assert response.status_code == 201, response.content
    body = response.json()
    episode = Episode.objects.get(pk=body["episode"]["id"])
    assert episode.stage == Stage.LEARN
    assert episode.patient.user.has_usable_password() is False
    assert AuditEvent.objects.filter(action="create", patient_id=episode.patient_id).count() == 3
    assert episode.events.filter(kind="episode_opened").exists()
    # Finding 2: staff see that a link went out, never the link.
    assert "set_password_url" not in body
    assert "set-password" not in response.content.decode()
    assert body["sign_in_link"]["channel"] == "email"
    assert body["sign_in_link"]["to"] == "r***@example.invalid"
    assert mail.outbox[0].to == ["robin@example.invalid"]

    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    new_password = "a quiet river at dawn"
    done = client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert Client().login(username="robin.hale", password=new_password)
    assert Client().get(link, follow=True).context["validlink"] is False  # one use only


def test_without_email_the_link_goes_by_sms(cast, django_capture_on_commit_callbacks):
    MemorySmsBackend.outbox.clear()
    with (
        override_settings(SMS_BACKEND="endospine.core.sms.MemorySmsBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        body = (
            api_as(cast.coordinator)
            .post(
                API,
                payload(cast, email="", phone="+1 555 0142"),
                content_type="application/json",
            )
            .json()
        )
    assert body["sign_in_link"] == {**body["sign_in_link"], "channel": "sms", "to": "***42"}
    assert MemorySmsBackend.outbox[-1][0] == "+1 555 0142"
    assert "/accounts/set-password/" in MemorySmsBackend.outbox[-1][1]


def test_staff_send_a_locked_out_patient_a_new_link_page_and_api(
    cast, django_capture_on_commit_callbacks
):
    url = f"/api/v1/episodes/{cast.episode.pk}/patient/sign-in-link"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(cast.nurse).post(url)
    assert response.status_code == 201, response.content
    assert response.json()["to"] == "p***@example.invalid"
    assert "set-password" not in response.content.decode()
    assert mail.outbox[-1].to == [cast.pat.email]
    page = cast.client_for(cast.nurse)
    with django_capture_on_commit_callbacks(execute=True):
        sent = page.post(f"/episodes/{cast.episode.pk}/sign-in-link/", follow=True)
    assert "was sent on" in sent.content.decode()
    assert "set-password" not in sent.content.decode()
    assert len(mail.outbox) == 2
    audited = AuditEvent.objects.filter(
        patient_id=cast.pat.pk, record_type="accounts.sentlink", actor=cast.nurse
    )
    assert audited.count() == 2
    # Out of reach answers 404; a patient may not send links.
    assert api_as(cast.nurse_south).post(url).status_code == 404
    assert api_as(cast.pat.user).post(url).status_code in (403, 404)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "yesterday"}, "date_of_birth"),
        ({"mrn": ""}, "mrn"),
        ({"username": "a b"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"surgeon": "00000000-0000-0000-0000-000000000000"}, "surgeon"),
        ({"given_name": "x" * 101}, "given_name"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_bad_registrations_name_the_field_and_store_nothing(cast, changes, field):
    before = Patient.objects.count(), User.objects.count()
    response = api_as(cast.coordinator).post(
        API, payload(cast, **changes), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field
    assert (Patient.objects.count(), User.objects.count()) == before


def test_duplicates_and_wrong_roles_are_refused(cast):
    client = api_as(cast.coordinator)
    assert client.post(API, payload(cast), content_type="application/json").status_code == 201
    again = client.post(API, payload(cast), content_type="application/json").json()
    assert {e["field"] for e in again["errors"]} == {"mrn", "username"}
    wrong = client.post(
        API,
        payload(cast, mrn="N-1", username="x.y", surgeon=str(cast.nurse.pk)),
        content_type="application/json",
    )
    assert wrong.json()["errors"][0]["field"] == "surgeon"


@pytest.mark.parametrize("role", ["pat", "lead", "admin", "nurse_south"])
def test_only_care_staff_of_the_site_may_register(cast, role):
    user = getattr(cast, role).user if role == "pat" else getattr(cast, role)
    response = api_as(user).post(API, payload(cast), content_type="application/json")
    assert response.status_code == 403
    assert not Patient.objects.filter(mrn="N-4242").exists()


def test_the_registration_page(cast):
    client = cast.client_for(cast.nurse)
    assert client.get("/episodes/new/").status_code == 200
    data = payload(cast)
    response = client.post("/episodes/new/", data)
    assert response.status_code == 201
    assert "set-password" not in response.content.decode()
    assert "r***@example.invalid" in response.content.decode()
    bad = client.post("/episodes/new/", {**data, "mrn": "N-9", "username": "robin.hale"})
    assert bad.status_code == 422
    assert "this username is taken" in bad.content.decode()
    assert cast.client_for(cast.pat.user).get("/episodes/new/").status_code == 403
