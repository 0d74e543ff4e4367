"""Issue 11 item 4: one open alert per patient's episode; a worse check-in raises it."""

from datetime import date, timedelta
from typing import Any

from django.core import mail

from endospine.core import clock
from endospine.journey.models import Episode, Stage, TimelineEvent
from endospine.recover import config, selectors
from endospine.recover.models import Alert, Checkin
from endospine.recover.services import alert_acknowledge, checkin_submit, start_recovery
from endospine.recover.sweep import sweep
from endospine.testing import make_episode, make_patient


def recovering_episode(cast: Any, username: str) -> Episode:
    """Another North patient, operated two days ago, with their schedule laid out."""
    episode = make_episode(
        make_patient(username, cast.north), stage=Stage.RECOVER, surgeon=cast.surgeon
    )
    Episode.objects.filter(pk=episode.pk).update(surgery_date=date.today() - timedelta(days=2))
    episode.refresh_from_db()
    start_recovery(episode=episode, discharged_at=clock.now() - timedelta(days=1), actor=cast.nurse)
    return episode


def _submit(cast: Any, episode: Episode, answers: dict[str, Any]) -> Checkin:
    checkin, _ = checkin_submit(episode=episode, answers=answers, actor=cast.pat.user)
    return checkin


def test_a_second_red_flag_joins_the_open_alert(cast: Any, recovering: Episode) -> None:
    _submit(cast, recovering, {"wound_open": True})
    clock.advance(timedelta(minutes=20))
    second = _submit(cast, recovering, {"wound_redness": "spreading"})
    alert = Alert.objects.get(episode=recovering)
    assert alert.severity == "urgent"
    assert second.grouped_alert_id == alert.pk
    assert alert.checkins.count() == 2
    assert alert.last_checkin_at == second.submitted_at
    assert list(selectors.alert_worklist(cast.nurse)) == [alert]


def test_a_more_severe_check_in_raises_the_level_and_restarts_the_faster_timer(
    cast: Any, recovering: Episode
) -> None:
    _submit(cast, recovering, {"wound_open": True})
    alert = Alert.objects.get(episode=recovering)
    alert_acknowledge(alert=alert, actor=cast.nurse)
    clock.advance(timedelta(minutes=30))
    mail.outbox.clear()
    worse = _submit(cast, recovering, {"chest_pain": True})
    alert.refresh_from_db()
    assert alert.severity == "emergency"
    # A person must take it again, and the emergency timer runs from the new check-in.
    assert alert.acknowledged_at is None
    assert alert.next_escalation_at == worse.submitted_at + config.escalation_interval(
        cast.north, "emergency"
    )
    assert TimelineEvent.objects.filter(episode=recovering, kind="alert_raised_level").exists()
    clock.advance(timedelta(minutes=16))
    assert sweep().escalations == 1


def test_a_less_severe_check_in_keeps_the_level(cast: Any, recovering: Episode) -> None:
    _submit(cast, recovering, {"chest_pain": True})
    alert = Alert.objects.get(episode=recovering)
    due = alert.next_escalation_at
    clock.advance(timedelta(minutes=5))
    _submit(cast, recovering, {"wound_open": True})
    alert.refresh_from_db()
    assert (alert.severity, alert.next_escalation_at) == ("emergency", due)


def test_after_resolution_a_new_red_flag_opens_a_new_alert(cast: Any, recovering: Episode) -> None:
    from endospine.recover.services import alert_resolve

    _submit(cast, recovering, {"wound_open": True})
    alert_resolve(alert=Alert.objects.get(episode=recovering), actor=cast.nurse, note="seen")
    _submit(cast, recovering, {"wound_open": True})
    assert Alert.objects.filter(episode=recovering).count() == 2


def test_the_api_names_the_alert_a_check_in_joined(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    url = f"/api/v1/episodes/{recovering.pk}/checkins"
    first = client.post(url, {"wound_open": True}, content_type="application/json").json()
    second = client.post(url, {"chest_pain": True}, content_type="application/json").json()
    assert first["alert_id"] and second["alert_id"] == first["alert_id"]
    assert Alert.objects.get(pk=first["alert_id"]).severity == "emergency"
