"""Issue 11 item 3: the worklist is a triage board, and every staff page shows the alert count."""

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.recover.services import checkin_submit
from endospine.recover.tests.test_alert_groups import recovering_episode
from endospine.testing import make_episode, make_patient


def _names(response: Any) -> list[str]:
    return [e.patient.given_name for e in response.context["rows"]]


def test_emergencies_then_urgent_then_missed_check_ins_come_first(
    cast: Any, recovering: Episode
) -> None:
    urgent = recovering_episode(cast, "ursula")
    emergency = recovering_episode(cast, "emma")
    missed = recovering_episode(cast, "mick")
    quiet = recovering_episode(cast, "quentin")
    checkin_submit(episode=urgent, answers={"wound_open": True}, actor=cast.nurse)
    checkin_submit(episode=emergency, answers={"chest_pain": True}, actor=cast.nurse)
    for episode in (urgent, emergency, quiet, recovering):
        checkin_submit(episode=episode, answers={"pain_leg": 2}, actor=cast.nurse)
    clock.advance(timedelta(days=1, hours=2))  # mick's day 1 is now a day late
    for episode in (urgent, emergency, quiet, recovering):
        checkin_submit(episode=episode, answers={"pain_leg": 3}, actor=cast.nurse)
    response = cast.client_for(cast.nurse).get("/episodes/")
    names = _names(response)
    assert names[:3] == ["Emma", "Ursula", "Mick"]
    body = response.content.decode()
    assert "Open alert" in body and "Missed check-ins" in body and "PROMs overdue" in body
    assert "leg 3" in body and "up from 2" in body  # last pain score and its trend
    assert "day 3" in body or "day 4" in body  # days since surgery
    assert missed.pk and quiet.pk


def test_closed_episodes_leave_the_default_view_and_my_patients_filter(cast: Any) -> None:
    done = make_episode(make_patient("dora", cast.north), stage=Stage.COMPLETE, nurse=cast.nurse)
    make_episode(make_patient("carl", cast.north), stage=Stage.CANCELLED)
    make_episode(make_patient("otis", cast.north), stage=Stage.ASSESS)  # nobody's
    client = cast.client_for(cast.nurse)
    default = _names(client.get("/episodes/"))
    assert "Dora" not in default and "Carl" not in default and "Otis" in default
    everything = _names(client.get("/episodes/", {"stage": "all"}))
    assert {"Dora", "Carl", "Otis"} <= set(everything)
    mine = _names(client.get("/episodes/", {"mine": "on", "stage": "all"}))
    assert "Otis" not in mine and "Dora" in mine and "Pat" in mine
    assert done.pk


def test_the_board_costs_the_same_queries_with_alerts_and_check_ins(
    cast: Any, recovering: Episode
) -> None:
    client = cast.client_for(cast.nurse)
    client.get("/episodes/")
    counts = []
    for index in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/episodes/").status_code == 200
        counts.append(len(queries))
        for n in range(6):
            episode = recovering_episode(cast, f"b{index}_{n}")
            checkin_submit(episode=episode, answers={"chest_pain": True}, actor=cast.nurse)
    assert counts[0] == counts[1]


def test_every_staff_page_shows_the_alert_count_and_polls_it(
    cast: Any, recovering: Episode
) -> None:
    client = cast.client_for(cast.nurse)
    page = client.get(f"/episodes/{cast.quinn_episode.pk}/").content.decode()
    assert 'id="alert-badge"' in page and "/recover/alerts/badge/" in page
    checkin_submit(episode=recovering, answers={"chest_pain": True}, actor=cast.pat.user)
    badge = client.get("/recover/alerts/badge/").content.decode()
    assert "badge-emergency" in badge and ">1</span>" in badge
    assert cast.client_for(cast.pat.user).get("/recover/alerts/badge/").status_code == 403
    assert 'id="alert-badge"' not in cast.client_for(cast.pat.user).get("/").content.decode()


def test_the_badge_is_for_the_care_team_only(cast: Any) -> None:
    from django.test import Client

    assert Client().get("/recover/alerts/badge/").status_code == 302
    for user in (cast.lead, cast.admin, cast.quinn.user):
        assert cast.client_for(user).get("/recover/alerts/badge/").status_code == 403
    for user in (cast.nurse, cast.coordinator, cast.surgeon, cast.nurse_south):
        assert cast.client_for(user).get("/recover/alerts/badge/").status_code == 200
