"""Issue 11 item 2: alerts reach people by SMS and e-mail, or say loudly that they cannot."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.management import call_command

from endospine.core import clock
from endospine.core.sms import MemorySmsBackend
from endospine.journey.models import Episode, TimelineEvent
from endospine.recover.models import Alert, AlertKind, Notification
from endospine.recover.services import checkin_submit


class BrokenSmsBackend:
    def send(self, to: str, body: str) -> None:
        raise ConnectionError("gateway down")


@pytest.fixture(autouse=True)
def _memory_sms(settings: Any) -> None:
    settings.SMS_BACKEND = "endospine.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def reachable(cast: Any) -> Any:
    cast.nurse.email, cast.nurse.phone = "nina@north.example", "+1 555 0101"
    cast.nurse.save()
    cast.north.on_call_phone, cast.north.on_call_email = "+1 555 0111", "oncall@north.example"
    cast.north.save()
    return cast


def run_worker() -> None:
    call_command("worker", "--batch", "--interval", "0")


def test_an_alert_goes_by_sms_and_email_to_the_nurse_and_the_on_call(
    reachable: Any, recovering: Episode
) -> None:
    checkin_submit(episode=recovering, answers={"chest_pain": True}, actor=reachable.pat.user)
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["nina@north.example", "oncall@north.example"]
    assert sorted(to for to, _ in MemorySmsBackend.outbox) == ["+1 555 0101", "+1 555 0111"]
    # No name and no health detail in a message, only the level and a link.
    for _, body in MemorySmsBackend.outbox:
        assert "Pat" not in body and "chest" not in body.lower() and "/recover/alerts/" in body


def test_escalation_also_reaches_the_on_call_by_sms(reachable: Any, recovering: Episode) -> None:
    checkin_submit(episode=recovering, answers={"chest_pain": True}, actor=reachable.pat.user)
    run_worker()
    MemorySmsBackend.outbox.clear()
    clock.advance(timedelta(minutes=16))
    run_worker()
    assert "+1 555 0111" in [to for to, _ in MemorySmsBackend.outbox]
    assert Notification.objects.filter(kind="escalation", channel="sms").exists()


def test_a_failed_delivery_becomes_an_alert_of_its_own(
    reachable: Any, recovering: Episode, settings: Any
) -> None:
    settings.SMS_BACKEND = "endospine.recover.tests.test_notifications.BrokenSmsBackend"
    checkin_submit(episode=recovering, answers={"wound_open": True}, actor=reachable.pat.user)
    run_worker()
    failed = Alert.objects.filter(episode=recovering, kind=AlertKind.DELIVERY_FAILED)
    assert failed.count() == 2  # the nurse's SMS and the on-call SMS
    assert {a.severity for a in failed} == {"urgent"}
    assert TimelineEvent.objects.filter(episode=recovering, kind="alert_delivery_failed").exists()
    run_worker()  # retries fail again: still one alert per failed message
    assert failed.count() == 2
    page = reachable.client_for(reachable.nurse).get("/recover/alerts/")
    assert "could not be delivered" in page.content.decode()


def test_the_system_check_names_a_site_without_on_call(cast: Any) -> None:
    ids = [(m.id, m.msg) for m in run_checks() if m.id == "recover.W001"]
    assert any("'north'" in msg for _, msg in ids)
    cast.north.on_call_phone = "+1 555 0111"
    cast.north.save()
    assert not any("'north'" in m.msg for m in run_checks() if m.id == "recover.W001")


def test_the_alerts_page_says_in_red_when_a_site_has_no_on_call(cast: Any) -> None:
    page = cast.client_for(cast.nurse).get("/recover/alerts/")
    assert 'class="errors"' in page.content.decode()
    assert "no on-call contact" in page.content.decode()
    cast.north.on_call_email = "oncall@north.example"
    cast.north.save()
    page = cast.client_for(cast.nurse).get("/recover/alerts/")
    assert "no on-call contact" not in page.content.decode()


def test_an_admin_sets_staff_phones_and_the_on_call_contact(cast: Any) -> None:
    admin = cast.client_for(cast.admin)
    assert (
        'name="phone"'
        in admin.get(f"/admin/accounts/user/{cast.nurse.pk}/change/").content.decode()
    )
    site_form = admin.get(f"/admin/accounts/site/{cast.north.pk}/change/").content.decode()
    assert 'name="on_call_phone"' in site_form and 'name="on_call_email"' in site_form


def test_a_red_flag_joining_a_taken_alert_reaches_the_person_handling_it(
    reachable: Any, recovering: Episode
) -> None:
    from endospine.recover.services import alert_acknowledge

    checkin_submit(episode=recovering, answers={"wound_open": True}, actor=reachable.pat.user)
    alert_acknowledge(alert=Alert.objects.get(episode=recovering), actor=reachable.nurse)
    run_worker()
    mail.outbox.clear()
    MemorySmsBackend.outbox.clear()
    checkin_submit(episode=recovering, answers={"wound_drainage": "pus"}, actor=reachable.pat.user)
    run_worker()
    assert "nina@north.example" in [m.to[0] for m in mail.outbox]
    assert "+1 555 0101" in [to for to, _ in MemorySmsBackend.outbox]
