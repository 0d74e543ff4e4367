"""Issue 11, done when: the whole loop from a patient's red flag to a resolved alert.

The patient (phone size) files a red-flag check-in; within one poll the
nurse's (desktop) badge and worklist show it at the top; the alert page shows
the values and their change since the last check-in; the on-call SMS and
e-mail come out of the console backends; the nurse acknowledges and resolves
with a note; the patient's home shows what is due next. Axe on every page.
"""

import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.recover.models import Alert
from endospine.recover.services import checkin_submit, start_recovery
from endospine.testing import make_episode, make_patient

pytestmark = pytest.mark.django_db(transaction=True)


def _recovering(episode: Episode, nurse: object) -> Episode:
    Episode.objects.filter(pk=episode.pk).update(
        stage=Stage.RECOVER, surgery_date=date.today() - timedelta(days=2)
    )
    episode.refresh_from_db()
    start_recovery(episode=episode, discharged_at=clock.now() - timedelta(days=1), actor=nurse)  # type: ignore[arg-type]
    return episode


@pytest.fixture
def loop(cast, settings):  # type: ignore[no-untyped-def]
    settings.ALERT_POLL_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SMS_BACKEND = "endospine.core.sms.ConsoleSmsBackend"
    cast.nurse.email, cast.nurse.phone = "nina@north.example", "+1 555 0101"
    cast.nurse.save()
    cast.north.on_call_phone, cast.north.on_call_email = "+1 555 0111", "oncall@north.example"
    cast.north.save()
    episode = _recovering(cast.episode, cast.nurse)
    checkin_submit(
        episode=episode,
        answers={"temperature_c": 37.1, "pain_leg": 3, "wound_redness": "none"},
        actor=cast.pat.user,
    )
    # Another patient who missed a check-in: on top of the board until Pat's red flag.
    other = make_episode(make_patient("mick", cast.north, given="Mick"), nurse=cast.nurse)
    Episode.objects.filter(pk=other.pk).update(stage=Stage.RECOVER)
    start_recovery(episode=other, discharged_at=clock.now() - timedelta(days=3), actor=cast.nurse)
    return episode


@pytest.mark.browser
def test_red_flag_to_resolved_alert(  # type: ignore[no-untyped-def]
    live_server, cast, loop, browser, page, phone_page, login, assert_accessible, capsys
):
    nurse = page
    login(nurse, live_server, "nina_nurse")
    nurse.goto(f"{live_server.url}/episodes/")
    nurse.get_by_role("heading", name="Worklist").wait_for()
    first_row = nurse.locator("table.board tbody tr").first
    assert "Mick" in first_row.inner_text()
    assert nurse.locator("#alert-badge").inner_text().strip().endswith("0")
    assert_accessible(nurse)

    patient = phone_page
    login(patient, live_server, "pat")
    patient.goto(f"{live_server.url}/recover/episodes/{loop.pk}/checkin/")
    patient.get_by_role("heading", name="How are you today?").wait_for()
    assert_accessible(patient)
    patient.get_by_label("A leg or foot is weaker than before, or you cannot lift it").check()
    patient.get_by_label("Your temperature, if you took it").fill("39.0")
    patient.get_by_role("group", name="Leg pain now").get_by_label("6", exact=True).check()
    patient.get_by_role("button", name="Send to my care team").click()
    patient.get_by_role("heading", name="Call 911 now").wait_for()
    assert_accessible(patient)

    # The worker sends what the check-in queued: the console backends print it.
    capsys.readouterr()
    call_command("worker", "--batch", "--interval", "0")
    printed = capsys.readouterr().out
    assert printed.count("SMS to") >= 2  # the nurse and the on-call phone
    assert printed.count("Subject: EndoSpine: Emergency alert") >= 2  # nurse and on-call e-mail

    # Within one poll (1 s here, 15 s by default) the badge and the board change.
    # (Locator waits, not wait_for_function: the CSP forbids evaluating strings.)
    expect(nurse.locator("#alert-badge")).to_have_text(re.compile(r"1\s*$"), timeout=8000)
    expect(nurse.locator("table.board tbody tr").first).to_contain_text("Pat Doe", timeout=8000)
    assert "Emergency" in first_row.inner_text()
    assert_accessible(nurse)

    first_row.get_by_role("link", name="Emergency").click()
    nurse.get_by_role("heading", name="Pat Doe").wait_for()
    body = nurse.locator("main").inner_text()
    assert "39.0 °C" in body and "up from 37.1 °C" in body
    assert "6/10" in body and "up from 3/10" in body
    assert "New motor weakness" in body
    assert_accessible(nurse)
    nurse.get_by_label("Note (optional)").fill("Called Pat, coming in")
    nurse.get_by_role("button", name="Acknowledge: I am handling this").click()
    nurse.get_by_text("Acknowledged").first.wait_for()
    nurse.locator("#resolve-note").fill("Seen in clinic, MRI booked")
    nurse.get_by_role("button", name="Resolve").click()
    nurse.get_by_text("Seen in clinic, MRI booked").wait_for()
    alert = Alert.objects.get(episode=loop)
    assert alert.acknowledged_at and alert.resolved_at
    assert alert.resolution_note == "Seen in clinic, MRI booked"
    assert_accessible(nurse)

    patient.goto(f"{live_server.url}/")
    patient.get_by_text("What comes next", exact=False).first.wait_for()
    patient.get_by_role("link", name="Recovery check-ins").first.wait_for()
    assert_accessible(patient)
