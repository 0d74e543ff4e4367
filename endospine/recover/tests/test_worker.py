"""Reminders and escalations: the sweep, the worker, and crashes in between."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from endospine.core import clock
from endospine.core.sms import MemorySmsBackend
from endospine.journey.models import Episode
from endospine.recover import outbox
from endospine.recover.models import Alert, Notification, ScheduledCheckin
from endospine.recover.services import alert_acknowledge, checkin_submit
from endospine.recover.sweep import escalate_due_alerts, queue_due_reminders, sweep


@pytest.fixture(autouse=True)
def _memory_sms(settings: Any) -> None:
    settings.SMS_BACKEND = "endospine.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()


def run_worker() -> None:
    call_command("worker", "--batch", "--interval", "0")


# --- Reminders -----------------------------------------------------------------


def test_reminder_queued_once_when_due(recovering: Episode) -> None:
    assert queue_due_reminders() == 1  # day 1 fell due now (discharged 24 h ago)
    assert queue_due_reminders() == 0
    rows = Notification.objects.filter(kind="reminder")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms"]
    clock.advance(timedelta(days=1))
    assert queue_due_reminders() == 1  # day 2


def test_no_reminder_for_a_done_checkin(cast: Any, recovering: Episode) -> None:
    checkin_submit(episode=recovering, answers={"pain_leg": 1}, actor=cast.pat.user)
    assert queue_due_reminders() == 0


def test_missed_checkins_are_not_nudged_late(recovering: Episode) -> None:
    clock.advance(timedelta(days=8))  # day 7 fell due 2 days ago; days 1-3 are missed
    sent = queue_due_reminders()
    assert sent == 1  # only day 7 is still in its window; days 1-3 are missed
    # days 14, 21, 28 and 42 are still ahead
    assert ScheduledCheckin.objects.filter(reminder_queued_at__isnull=True).count() == 4


def test_site_can_turn_off_sms(cast: Any, recovering: Episode) -> None:
    cast.north.settings = {"reminder_channels": ["email"]}
    cast.north.save()
    queue_due_reminders()
    assert list(Notification.objects.values_list("channel", flat=True)) == ["email"]


def test_worker_sends_each_reminder_once(cast: Any, recovering: Episode) -> None:
    run_worker()
    run_worker()
    assert len(mail.outbox) == 1 and len(MemorySmsBackend.outbox) == 1
    assert mail.outbox[0].to == [cast.pat.email]
    assert "day 1" in mail.outbox[0].body and cast.pat.family_name not in mail.outbox[0].body
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_sender_killed_after_claiming_loses_nothing(recovering: Episode) -> None:
    queue_due_reminders()
    email = Notification.objects.get(channel="email")
    # A worker claims the row and dies before sending: its lease stays behind.
    assert outbox.claim(email.pk) is not None
    call_command("worker", "--batch", "--interval", "0")
    assert len(mail.outbox) == 0  # the lease is still held: nobody else sends it
    clock.advance(outbox.LEASE + timedelta(seconds=1))
    assert sweep().requeued >= 1
    run_worker()
    run_worker()
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=email.pk).attempts == 2


def test_lost_job_is_queued_again(recovering: Episode) -> None:
    from django_tasks_db.models import DBTaskResult

    queue_due_reminders()
    DBTaskResult.objects.all().delete()  # the jobs vanish (e.g. a worker died holding them)
    clock.advance(outbox.REQUEUE_AFTER + timedelta(seconds=1))
    run_worker()
    assert len(mail.outbox) == 1 and len(MemorySmsBackend.outbox) == 1


def test_a_sent_row_is_never_claimed_again(recovering: Episode) -> None:
    queue_due_reminders()
    row = Notification.objects.get(channel="sms")
    assert outbox.send(row.pk) is True
    clock.advance(timedelta(days=1))
    assert outbox.send(row.pk) is False
    assert len(MemorySmsBackend.outbox) == 1


# --- Escalation ------------------------------------------------------------------


def _alert(cast: Any, episode: Episode, answers: dict[str, Any]) -> Alert:
    for person in (cast.coordinator, cast.surgeon):
        person.email = f"{person.username}@example.invalid"
        person.save()
    checkin, _ = checkin_submit(episode=episode, answers=answers, actor=cast.pat.user)
    return Alert.objects.get(checkin=checkin)


def escalations(alert: Alert) -> list[str]:
    return sorted(alert.notification_set.filter(kind="escalation").values_list("to", flat=True))


def test_emergency_escalates_after_15_minutes_and_again(cast: Any, recovering: Episode) -> None:
    alert = _alert(cast, recovering, {"saddle_numbness": True})
    clock.advance(timedelta(minutes=14, seconds=59))
    assert escalate_due_alerts() == 0
    clock.advance(timedelta(seconds=1))
    assert escalate_due_alerts() == 1
    assert escalate_due_alerts() == 0
    assert escalations(alert) == ["cody_coordinator@example.invalid", "sam_surgeon@example.invalid"]
    clock.advance(timedelta(minutes=15))
    assert escalate_due_alerts() == 1
    alert.refresh_from_db()
    assert alert.escalation_count == 2 and len(escalations(alert)) == 4


def test_urgent_escalates_after_two_hours(cast: Any, recovering: Episode) -> None:
    _alert(cast, recovering, {"wound_open": True})
    clock.advance(timedelta(minutes=119))
    assert escalate_due_alerts() == 0
    clock.advance(timedelta(minutes=1))
    assert escalate_due_alerts() == 1


def test_acknowledged_alert_does_not_escalate(cast: Any, recovering: Episode) -> None:
    alert = _alert(cast, recovering, {"chest_pain": True})
    clock.advance(timedelta(minutes=10))
    alert_acknowledge(alert=alert, actor=cast.nurse)
    clock.advance(timedelta(hours=3))
    assert escalate_due_alerts() == 0


def test_site_sets_its_own_escalation_delay(cast: Any, recovering: Episode) -> None:
    cast.north.settings = {"alert_escalation_minutes": {"emergency": 5, "urgent": 30}}
    cast.north.save()
    _alert(cast, Episode.objects.get(pk=recovering.pk), {"chest_pain": True})
    clock.advance(timedelta(minutes=5))
    assert escalate_due_alerts() == 1


def test_escalation_without_surgeon_goes_to_site_surgeons(cast: Any, recovering: Episode) -> None:
    Episode.objects.filter(pk=recovering.pk).update(surgeon=None)
    recovering.refresh_from_db()
    alert = _alert(cast, recovering, {"chest_pain": True})
    clock.advance(timedelta(minutes=15))
    escalate_due_alerts()
    assert "sam_surgeon@example.invalid" in escalations(alert)


def test_worker_sends_escalations(cast: Any, recovering: Episode) -> None:
    _alert(cast, recovering, {"chest_pain": True})
    clock.advance(timedelta(minutes=15))
    run_worker()
    subjects = [m.subject for m in mail.outbox if "not acknowledged" in m.subject]
    assert len(subjects) == 2


def test_the_worker_also_sends_due_prom_reminders_once(cast: Any, recovering: Episode) -> None:
    clock.advance(timedelta(days=43))  # the 6-week questionnaires are open
    run_worker()
    run_worker()
    prom_mails = [m for m in mail.outbox if f"/proms/episodes/{recovering.pk}/" in m.body]
    assert len(prom_mails) == 1
