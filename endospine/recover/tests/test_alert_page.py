"""Issue 11 item 1: the alert page reads like a clinical note, not like the patient's screen."""

import re
from datetime import timedelta
from typing import Any

from endospine.core import clock
from endospine.journey.models import Episode
from endospine.recover.models import Alert
from endospine.recover.services import checkin_submit


def _two_checkins(cast: Any, episode: Episode) -> Alert:
    checkin_submit(
        episode=episode,
        answers={"temperature_c": 37.1, "pain_leg": 3, "wound_redness": "mild"},
        actor=cast.pat.user,
    )
    clock.advance(timedelta(hours=20))
    checkin, _ = checkin_submit(
        episode=episode,
        answers={
            "temperature_c": 39.0,
            "pain_leg": 6,
            "wound_redness": "spreading",
            "new_weakness": True,
            "free_text": "my foot drags since this morning",
        },
        actor=cast.pat.user,
    )
    return Alert.objects.get(checkin=checkin)


def test_the_alert_shows_values_with_their_change_and_the_rules_with_sources(
    cast: Any, recovering: Episode
) -> None:
    alert = _two_checkins(cast, recovering)
    page = cast.client_for(cast.nurse).get(f"/recover/alerts/{alert.pk}/").content.decode()
    assert "39.0 °C" in page and "up from 37.1 °C" in page
    assert "6/10" in page and "up from 3/10" in page
    assert "spreading" in page and "was mild at the edges" in page
    assert "my foot drags since this morning" in page
    assert re.search(r"day [23] after surgery", page)
    # The rules in clinical words with their source, not raw codes.
    assert "New motor weakness" in page and "Spreading wound erythema" in page
    assert "Source:" in page and "clinical-reference.md" in page
    assert "<strong>new_weakness</strong>" not in page
    # And what the patient was told.
    assert "What the patient was told" in page and "Call 911 now" in page


def test_staff_opening_a_check_in_see_the_answers_not_the_call_screen(
    cast: Any, recovering: Episode
) -> None:
    checkin, _ = checkin_submit(
        episode=recovering, answers={"saddle_numbness": True, "pain_leg": 4}, actor=cast.pat.user
    )
    staff = cast.client_for(cast.nurse).get(f"/recover/checkins/{checkin.pk}/")
    body = staff.content.decode()
    assert "emergency-screen" not in body
    assert "Saddle anaesthesia (CES?)" in body and "4/10" in body and "first check-in" in body
    patient = cast.client_for(cast.pat.user).get(f"/recover/checkins/{checkin.pk}/")
    assert "emergency-screen" in patient.content.decode()


def test_the_alert_list_gives_the_reason_and_one_row_per_patient(
    cast: Any, recovering: Episode
) -> None:
    _two_checkins(cast, recovering)
    page = cast.client_for(cast.nurse).get("/recover/alerts/")
    assert len(page.context["alerts"]) == 1
    body = page.content.decode()
    assert "New motor weakness" in body and "Fever" in body
