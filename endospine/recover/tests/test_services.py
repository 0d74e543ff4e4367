"""Schedule, statuses and the same-transaction guarantee of check-ins and alerts."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError

from endospine.audit.models import AuditEvent
from endospine.core import clock
from endospine.core.errors import DomainError
from endospine.journey.models import Episode, TimelineEvent
from endospine.recover import selectors
from endospine.recover.models import Alert, Checkin, ScheduledCheckin
from endospine.recover.services import (
    alert_acknowledge,
    alert_resolve,
    checkin_submit,
    start_recovery,
)


def days(episode: Episode) -> list[int]:
    return list(ScheduledCheckin.objects.filter(episode=episode).values_list("day", flat=True))


def test_default_schedule(recovering: Episode) -> None:
    assert days(recovering) == [1, 2, 3, 7, 14, 21, 28, 42]
    assert TimelineEvent.objects.filter(episode=recovering, kind="recovery_started").exists()


def test_site_setting_changes_the_days(cast: Any) -> None:
    cast.north.settings = {"checkin_days": [1, 5, 30]}
    cast.north.save()
    episode = Episode.objects.get(pk=cast.episode.pk)
    start_recovery(episode=episode, discharged_at=clock.now(), actor=cast.nurse)
    assert days(episode) == [1, 5, 30]


def test_malformed_site_days_fall_back_to_default(cast: Any) -> None:
    cast.north.settings = {"checkin_days": ["soon", -1]}
    cast.north.save()
    episode = Episode.objects.get(pk=cast.episode.pk)
    start_recovery(episode=episode, discharged_at=clock.now(), actor=cast.nurse)
    assert days(episode) == [1, 2, 3, 7, 14, 21, 28, 42]


def test_start_recovery_twice_keeps_one_schedule(cast: Any, recovering: Episode) -> None:
    start_recovery(episode=recovering, discharged_at=clock.now(), actor=cast.nurse)
    assert days(recovering) == [1, 2, 3, 7, 14, 21, 28, 42]


def test_statuses_move_with_time(recovering: Episode) -> None:
    day2 = ScheduledCheckin.objects.get(episode=recovering, day=2)  # due in 1 day
    assert selectors.slot_status(day2) == "due"
    clock.advance(timedelta(days=1, hours=23))
    assert selectors.slot_status(day2) == "due"
    clock.advance(timedelta(hours=2))
    assert selectors.slot_status(day2) == "overdue"
    clock.advance(timedelta(days=2))
    assert selectors.slot_status(day2) == "missed"


def test_checkin_completes_the_open_slot(cast: Any, recovering: Episode) -> None:
    checkin, created = checkin_submit(
        episode=recovering, answers={"pain_leg": 2}, actor=cast.pat.user
    )
    assert created and checkin.scheduled is not None and checkin.scheduled.day == 1
    assert [s.status for s in selectors.schedule(recovering)][:2] == ["done", "due"]


def test_days_since_surgery_filled_from_the_episode(cast: Any, recovering: Episode) -> None:
    checkin, _ = checkin_submit(episode=recovering, answers={"pain_leg": 2}, actor=cast.pat.user)
    assert checkin.answers["days_since_surgery"] == 2


@pytest.mark.parametrize("answers", [{}, {"days_since_surgery": 3}, {"free_text": None}])
def test_an_empty_check_in_is_refused_not_stored_as_routine(
    cast: Any, recovering: Episode, answers: dict[str, Any]
) -> None:
    with pytest.raises(DomainError) as refused:
        checkin_submit(episode=recovering, answers=answers, actor=cast.pat.user)
    assert refused.value.errors[0][0] == "answers"
    assert not Checkin.objects.exists()


def test_alert_is_in_the_same_transaction_as_the_checkin(
    cast: Any, recovering: Episode, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fault injection: the database refuses the alert row. The check-in must not stay behind.
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("injected")

    monkeypatch.setattr(Alert, "save", refuse)
    with pytest.raises(IntegrityError):
        checkin_submit(episode=recovering, answers={"chest_pain": True}, actor=cast.pat.user)
    assert Checkin.objects.count() == 0
    assert not ScheduledCheckin.objects.filter(completed_at__isnull=False).exists()


def test_routine_checkin_has_no_alert(cast: Any, recovering: Episode) -> None:
    checkin_submit(episode=recovering, answers={"pain_leg": 1}, actor=cast.pat.user)
    assert Alert.objects.count() == 0


def test_urgent_alert_notifies_the_nurse(cast: Any, recovering: Episode) -> None:
    cast.nurse.email = "nina@example.invalid"
    cast.nurse.save()
    checkin, _ = checkin_submit(
        episode=recovering, answers={"wound_open": True}, actor=cast.pat.user
    )
    alert = Alert.objects.get(checkin=checkin)
    assert alert.next_escalation_at == checkin.submitted_at + timedelta(hours=2)
    assert alert.notification_set.get().kind == "alert"


def _alert(cast: Any, episode: Episode, answers: dict[str, Any] | None = None) -> Alert:
    checkin, _ = checkin_submit(
        episode=episode, answers=answers or {"chest_pain": True}, actor=cast.pat.user
    )
    return Alert.objects.get(checkin=checkin)


def test_acknowledge_then_resolve(cast: Any, recovering: Episode) -> None:
    alert = _alert(cast, recovering)
    clock.advance(timedelta(minutes=4))
    alert = alert_acknowledge(alert=alert, actor=cast.nurse, note="called patient")
    assert alert.status == "acknowledged" and alert.next_escalation_at is None
    alert = alert_resolve(alert=alert, actor=cast.nurse, note="sent to ED")
    assert alert.status == "resolved" and alert.resolution_note == "sent to ED"
    details = set(
        AuditEvent.objects.filter(record_id=str(alert.pk)).values_list("detail", flat=True)
    )
    assert {"alert emergency", "alert acknowledged", "alert resolved"} <= details


def test_acknowledging_twice_is_refused(cast: Any, recovering: Episode) -> None:
    alert = _alert(cast, recovering)
    alert_acknowledge(alert=alert, actor=cast.nurse)
    with pytest.raises(DomainError) as refused:
        alert_acknowledge(alert=alert, actor=cast.coordinator)
    assert refused.value.status == 409


def test_resolve_needs_a_note(cast: Any, recovering: Episode) -> None:
    alert = _alert(cast, recovering)
    with pytest.raises(DomainError) as refused:
        alert_resolve(alert=alert, actor=cast.nurse, note="  ")
    assert refused.value.errors[0][0] == "note"
    assert Alert.objects.get(pk=alert.pk).resolved_at is None


def test_resolving_also_acknowledges(cast: Any, recovering: Episode) -> None:
    alert = alert_resolve(alert=_alert(cast, recovering), actor=cast.nurse, note="seen in clinic")
    assert alert.acknowledged_by == cast.nurse


def test_worklist_orders_by_severity_then_age(cast: Any, recovering: Episode) -> None:
    from endospine.recover.tests.test_alert_groups import recovering_episode

    other, third = recovering_episode(cast, "olga"), recovering_episode(cast, "otto")
    urgent_old = _alert(cast, recovering, {"wound_open": True})
    clock.advance(timedelta(minutes=5))
    emergency_new = _staff_alert(cast, other, {"chest_pain": True})
    clock.advance(timedelta(minutes=5))
    emergency_newer = _staff_alert(cast, third, {"confusion": True})
    order = list(selectors.alert_worklist(cast.nurse))
    assert order == [emergency_new, emergency_newer, urgent_old]
    assert list(selectors.alert_worklist(cast.nurse_south)) == []


def _staff_alert(cast: Any, episode: Episode, answers: dict[str, Any]) -> Alert:
    checkin, _ = checkin_submit(episode=episode, answers=answers, actor=cast.nurse)
    return Alert.objects.get(checkin=checkin)


def test_response_times_are_aggregated(cast: Any, recovering: Episode) -> None:
    alert = _alert(cast, recovering)
    clock.advance(timedelta(minutes=6))
    alert_acknowledge(alert=alert, actor=cast.nurse)
    rows = {r["severity"]: r for r in selectors.response_times(cast.lead)}
    assert rows["Emergency"]["total"] == 1
    assert rows["Emergency"]["acknowledge"]["median"] == pytest.approx(6.0, abs=0.1)
    assert rows["Urgent"]["total"] == 0


def test_start_recovery_asks_proms_for_its_followup(recovering: Episode) -> None:
    assert recovering.prom_timepoints.exists()  # type: ignore[attr-defined]
