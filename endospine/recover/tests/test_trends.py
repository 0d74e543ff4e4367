"""Issue 11 item 5: check-in charts with thresholds; a newest-first timeline."""

from datetime import timedelta
from typing import Any

from endospine.core import clock
from endospine.journey.models import Episode
from endospine.recover.services import checkin_submit


def test_the_episode_page_charts_the_values_with_thresholds_and_a_table(
    cast: Any, recovering: Episode
) -> None:
    for temperature, leg in ((37.0, 3), (37.6, 5), (38.9, 7)):
        checkin_submit(
            episode=recovering,
            answers={"temperature_c": temperature, "pain_leg": leg, "wound_redness": "mild"},
            actor=cast.pat.user,
        )
        clock.advance(timedelta(hours=12))
    body = cast.client_for(cast.nurse).get(f"/episodes/{recovering.pk}/").content.decode()
    assert "<svg" in body and 'class="threshold"' in body
    assert "fever 38.0 °C" in body and "severe 8/10" in body
    assert body.count("<polyline") == 3  # temperature, leg pain, wound (no back pain given)
    assert "The same values as a table" in body and "38.9" in body


def test_the_timeline_is_newest_first_with_check_ins_and_alerts(
    cast: Any, recovering: Episode
) -> None:
    checkin_submit(episode=recovering, answers={"pain_leg": 2}, actor=cast.pat.user)
    clock.advance(timedelta(hours=3))
    checkin_submit(episode=recovering, answers={"chest_pain": True}, actor=cast.pat.user)
    response = cast.client_for(cast.nurse).get(f"/episodes/{recovering.pk}/")
    events = list(response.context["events"])
    assert events[0].at >= events[-1].at
    kinds = [e.kind for e in events]
    assert kinds.index("alert_raised") < kinds.index("recovery_started")
    assert "checkin_submitted" in kinds
    body = response.content.decode()
    assert "Check-in (routine)" in body and "emergency alert raised" in body
