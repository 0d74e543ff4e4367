"""The operate pages: record form, note, sign, addendum, discharge, instructions and PDF."""

from typing import Any

import pytest

from endospine.audit.models import AuditEvent
from endospine.journey import panels
from endospine.journey.models import Stage
from endospine.operate.models import Discharge, OperativeAddendum, OperativeRecord
from endospine.operate.tests.helpers import discharged, in_theatre, record_payload, signed_record

pytestmark = pytest.mark.django_db


def form(**changes: Any) -> dict[str, Any]:
    """The record as the page posts it: strings, lists as comma-separated text."""
    data = record_payload(**changes)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("surgeons", "levels"):
            out[key] = ", ".join(value)
        elif key == "foraminoplasty":
            if value:
                out[key] = "on"
        elif key == "events":
            out[key] = value
        else:
            out[key] = "" if value is None else str(value)
    return out


def path(cast: Any, name: str) -> str:
    return f"/operate/{cast.episode.pk}/{name}"


def test_surgeon_fills_the_form_and_sees_the_note(cast: Any) -> None:
    in_theatre(cast.episode)
    surgeon = cast.client_for(cast.surgeon)
    page = surgeon.get(path(cast, "record/"))
    assert page.status_code == 200
    assert b'<label for="id_incision_length_mm">' in page.content
    assert b"3 to 60 mm" in page.content
    response = surgeon.post(path(cast, "record/"), form())
    assert response.status_code == 302 and response["Location"].endswith("/record/note/")
    note = surgeon.get(path(cast, "record/note/"))
    assert b"Draft" in note.content and b"Uniportal full-endoscopic" in note.content
    assert b"Sign and lock" in note.content


def test_bad_values_are_shown_beside_their_field_and_nothing_stored(cast: Any) -> None:
    in_theatre(cast.episode)
    response = cast.client_for(cast.surgeon).post(
        path(cast, "record/"), form(incision_length_mm="75", skin_to_skin_minutes="abc")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="err_incision_length_mm"' in html
    assert "Incision length must be between 3 and 60 mm (you entered 75)." in html
    assert "Skin-to-skin time must be a number of minutes." in html
    assert 'value="75"' in html  # what they typed is kept
    assert not OperativeRecord.objects.exists()


def test_sign_then_a_page_edit_is_refused_and_the_original_kept(cast: Any) -> None:
    in_theatre(cast.episode)
    surgeon = cast.client_for(cast.surgeon)
    surgeon.post(path(cast, "record/"), form())
    surgeon.post(path(cast, "record/sign/"), {"confirm": "yes"})
    record = OperativeRecord.objects.get()
    assert record.is_signed and record.signed_by == cast.surgeon
    response = surgeon.post(path(cast, "record/"), form(incision_length_mm="30"))
    assert response.status_code == 409
    assert b"signed and locked" in response.content
    record.refresh_from_db()
    assert record.incision_length_mm == 8
    # The form is no longer offered: the record page shows the note.
    assert surgeon.get(path(cast, "record/"))["Location"].endswith("/record/note/")


def test_addendum_from_the_page_keeps_the_original(cast: Any) -> None:
    signed_record(cast.episode, cast.surgeon)
    surgeon = cast.client_for(cast.surgeon)
    surgeon.post(path(cast, "record/addenda/"), {"text": "Blood loss re-estimated at 20 ml."})
    assert OperativeAddendum.objects.get().text == "Blood loss re-estimated at 20 ml."
    note = surgeon.get(path(cast, "record/note/")).content.decode()
    assert "Blood loss re-estimated at 20 ml." in note and "10 ml" in note
    surgeon.post(path(cast, "record/addenda/"), {"text": "   "})
    assert OperativeAddendum.objects.count() == 1


@pytest.mark.parametrize("who", ["nurse", "coordinator"])
def test_other_staff_read_the_note_but_cannot_write_or_sign(cast: Any, who: str) -> None:
    signed_record(cast.episode, cast.surgeon)
    client = cast.client_for(getattr(cast, who))
    note = client.get(path(cast, "record/note/"))
    assert note.status_code == 200 and b"Add an addendum" not in note.content
    assert client.post(path(cast, "record/"), form()).status_code == 403
    assert client.post(path(cast, "record/sign/")).status_code == 403
    assert client.post(path(cast, "record/addenda/"), {"text": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["nurse_south", "lead", "admin"])
def test_outsiders_get_404(cast: Any, who: str) -> None:
    signed_record(cast.episode, cast.surgeon)
    client = cast.client_for(getattr(cast, who))
    assert client.get(path(cast, "record/note/")).status_code == 404
    assert client.get(path(cast, "discharge/")).status_code == 404


def test_anonymous_is_sent_to_sign_in(cast: Any) -> None:
    from django.test import Client

    assert Client().get(path(cast, "record/note/")).status_code == 302


def test_nurse_records_the_discharge_on_the_page(cast: Any) -> None:
    signed_record(cast.episode, cast.surgeon)
    nurse = cast.client_for(cast.nurse)
    assert b"Record discharge" in nurse.get(path(cast, "discharge/")).content
    from endospine.core import clock

    moment = clock.now().strftime("%Y-%m-%dT%H:%M")  # the cast sites keep UTC
    response = nurse.post(path(cast, "discharge/"), {
        "discharged_at": moment, "first_walk_hours": "3", "pain_at_discharge": "2",
        "destination": "home", "follow_up_on": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.RECOVER
    assert Discharge.objects.get().pain_at_discharge == 2


def test_discharge_form_errors(cast: Any) -> None:
    signed_record(cast.episode, cast.surgeon)
    response = cast.client_for(cast.nurse).post(path(cast, "discharge/"), {
        "discharged_at": "soon", "first_walk_hours": "100", "pain_at_discharge": "",
        "destination": "home",
    })  # fmt: skip
    assert response.status_code == 422
    html = response.content.decode()
    for field in ("discharged_at", "first_walk_hours", "pain_at_discharge"):
        assert f'id="err_{field}"' in html
    assert not Discharge.objects.exists()


def test_patient_reads_instructions_with_their_numbers_and_gets_the_pdf(cast: Any) -> None:
    discharged(cast.episode, cast.surgeon)
    patient = cast.client_for(cast.pat.user)
    page = patient.get(path(cast, "instructions/"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Call 911 now if you have:" in html
    assert "+1 555 0100" in html
    assert "does not replace advice from your care team" in html
    assert f"/operate/{cast.episode.pk}/instructions.pdf" in html
    pdf = patient.get(path(cast, "instructions.pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="export", detail="page discharge pdf").count() == 1
    assert AuditEvent.objects.filter(
        action="read", detail="GET /operate/<uuid:episode_id>/instructions/"
    ).exists()


def test_another_patient_cannot_read_the_instructions(cast: Any) -> None:
    discharged(cast.episode, cast.surgeon)
    quinn = cast.client_for(cast.quinn.user)
    assert quinn.get(path(cast, "instructions/")).status_code == 404
    assert quinn.get(path(cast, "instructions.pdf")).status_code == 404


def test_patient_does_not_see_a_draft(cast: Any) -> None:
    in_theatre(cast.episode)
    cast.client_for(cast.surgeon).post(path(cast, "record/"), form())
    assert cast.client_for(cast.pat.user).get(path(cast, "record/note/")).status_code == 404


def test_panels_are_registered() -> None:
    staff = {p.url_name for p in panels.for_episode("operate", "staff")}
    assert {"operate:record", "operate:discharge"} <= staff
    assert "operate:instructions" in {p.url_name for p in panels.for_episode("recover", "patient")}


def test_signing_asks_for_a_confirmation_first(cast: Any) -> None:
    """Issue 11 item 6: one click on "Sign" without the confirmation signs nothing."""
    in_theatre(cast.episode)
    surgeon = cast.client_for(cast.surgeon)
    surgeon.post(path(cast, "record/"), form())
    note = surgeon.get(path(cast, "record/note/")).content.decode()
    assert 'name="confirm"' in note
    response = surgeon.post(path(cast, "record/sign/"), follow=True)
    assert "Tick the box to confirm" in response.content.decode()
    assert not OperativeRecord.objects.get().is_signed
