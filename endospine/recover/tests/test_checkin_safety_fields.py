"""Issue 16 items 7, 8 and 10 through the real check-in page and schedule."""

from typing import Any

import pytest

from endospine.journey.models import Episode
from endospine.recover.models import Alert, Checkin, ScheduledCheckin
from endospine.recover.tests.test_pages import checkin_url, form

NEW_FLAGS = [
    "collapse", "very_drowsy", "face_swelling", "arm_weakness", "stiff_neck",
    "chills", "vomiting_no_fluids", "leg_pain_worse_than_before",
]  # fmt: skip


def test_the_form_asks_every_new_question(cast: Any, recovering: Episode) -> None:
    page = cast.client_for(cast.pat.user).get(checkin_url(recovering))
    for flag in NEW_FLAGS:
        assert f'value="{flag}"'.encode() in page.content, flag
    assert b'value="soaked"' in page.content and b'value="bleeding_not_stopping"' in page.content


@pytest.mark.parametrize(
    ("flag", "severity"),
    [("collapse", "emergency"), ("very_drowsy", "emergency"), ("chills", "urgent")],
)
def test_a_new_sign_raises_an_alert(
    cast: Any, recovering: Episode, flag: str, severity: str
) -> None:
    client = cast.client_for(cast.pat.user)
    client.post(checkin_url(recovering), form(flags=[flag], temperature="36.8"))
    assert Checkin.objects.get().answers[flag] is True
    assert Alert.objects.get().severity == severity


def test_worsening_pain_from_the_form_is_urgent(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    client.post(checkin_url(recovering), form(pain_leg="7", pain_trend="worse"))
    assert Alert.objects.get().severity == "urgent"


def test_the_schedule_covers_weeks_3_to_6(recovering: Episode) -> None:
    days = set(ScheduledCheckin.objects.filter(episode=recovering).values_list("day", flat=True))
    assert {21, 28} <= days
