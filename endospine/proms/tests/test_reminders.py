"""The reminder sweep: one reminder when a timepoint opens, one when overdue, never twice."""

from datetime import timedelta

import pytest
from django.core import mail

from endospine.core import clock
from endospine.core.sms import MemorySmsBackend
from endospine.proms import services
from endospine.proms.models import Timepoint
from endospine.proms.tasks import prom_reminders, send_due_prom_reminders
from endospine.proms.tests.helpers import all_three, in_recovery


@pytest.fixture
def outboxes(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "endospine.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    yield mail.outbox, MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


class FailingSms:
    def send(self, to: str, body: str) -> None:
        raise ConnectionError("gateway down")


def test_due_timepoint_gets_one_email_and_one_sms(cast, outboxes) -> None:
    emails, sms = outboxes
    in_recovery(cast.episode, days_ago=40)  # week6 open, due in 2 days
    result = send_due_prom_reminders(clock.now())
    assert (result.sent, result.failed) == (1, 0)
    assert [m.to for m in emails] == [[cast.pat.email]]
    assert f"/proms/episodes/{cast.episode.pk}/" in emails[0].body
    assert cast.pat.given_name not in emails[0].body  # no PHI beyond what the patient needs
    assert [to for to, _ in sms] == [cast.pat.phone]
    assert send_due_prom_reminders(clock.now()).sent == 0  # not twice
    assert len(emails) == 1


def test_overdue_gets_a_second_reminder_then_stops(cast, outboxes) -> None:
    emails, _ = outboxes
    in_recovery(cast.episode, days_ago=40)
    send_due_prom_reminders(clock.now())
    in_recovery(cast.episode, days_ago=45)  # past due, not missed
    assert send_due_prom_reminders(clock.now()).sent == 1
    assert "waiting" in emails[-1].subject
    assert Timepoint.objects.get(episode=cast.episode, code="week6").reminders_sent == 2
    assert send_due_prom_reminders(clock.now()).sent == 0


def test_done_missed_and_upcoming_get_nothing(cast, outboxes) -> None:
    emails, _ = outboxes
    in_recovery(cast.episode, days_ago=10)
    assert send_due_prom_reminders(clock.now()).sent == 0  # nothing open
    in_recovery(cast.episode, days_ago=120)  # week6 missed, month3 missed (closes day 119)
    assert send_due_prom_reminders(clock.now()).sent == 0
    in_recovery(cast.episode, days_ago=42)
    services.responses_submit(
        episode=cast.episode, answers_by_instrument=all_three(), actor=cast.pat.user
    )
    assert send_due_prom_reminders(clock.now()).sent == 0
    assert emails == []


def test_a_live_claim_blocks_and_an_expired_one_is_retried(cast, outboxes) -> None:
    emails, _ = outboxes
    in_recovery(cast.episode, days_ago=40)
    now = clock.now()
    import uuid

    Timepoint.objects.filter(code="week6").update(
        reminder_claim=uuid.uuid4(), reminder_claimed_at=now
    )
    assert send_due_prom_reminders(now).sent == 0  # another worker holds it
    later = now + timedelta(minutes=6)  # the other worker died; its lease ran out
    assert send_due_prom_reminders(later).sent == 1
    assert len(emails) == 1


def test_a_failed_send_is_retried_next_sweep(cast, outboxes, settings) -> None:
    _, sms = outboxes
    in_recovery(cast.episode, days_ago=40)
    settings.SMS_BACKEND = "endospine.proms.tests.test_reminders.FailingSms"
    result = send_due_prom_reminders(clock.now())
    assert (result.sent, result.failed) == (0, 1)
    row = Timepoint.objects.get(code="week6")
    assert (row.reminders_sent, row.reminder_claim) == (0, None)
    settings.SMS_BACKEND = "endospine.core.sms.MemorySmsBackend"
    assert send_due_prom_reminders(clock.now()).sent == 1
    assert len(sms) == 1


def test_task_runs_the_sweep(cast, outboxes) -> None:
    in_recovery(cast.episode, days_ago=40)
    assert prom_reminders.call() == 1


def test_sweep_walks_past_one_batch(cast, outboxes, monkeypatch) -> None:
    from endospine.proms import reminders

    monkeypatch.setattr(reminders, "BATCH", 2)
    for episode in (cast.episode, cast.quinn_episode, cast.south_episode):
        in_recovery(episode, days_ago=40)
    assert send_due_prom_reminders(clock.now()).sent == 3
    assert len(outboxes[0]) == 3
