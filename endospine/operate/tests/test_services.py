"""Service rules the API and page tests do not reach: the row-level lock and atomic discharge."""

from typing import Any

import pytest

from endospine.core.errors import DomainError
from endospine.journey import gates
from endospine.journey.models import Stage
from endospine.operate import services
from endospine.operate.models import Discharge, OperativeAddendum, SignedRecordError
from endospine.operate.tests.helpers import discharge_payload, signed_record

pytestmark = pytest.mark.django_db


def test_a_signed_row_refuses_any_save(cast: Any) -> None:
    record = signed_record(cast.episode, cast.surgeon)
    record.incision_length_mm = 30
    with pytest.raises(SignedRecordError):
        record.save()


def test_an_addendum_cannot_be_changed(cast: Any) -> None:
    record = signed_record(cast.episode, cast.surgeon)
    addendum = services.operative_addendum_add(record=record, text="First", actor=cast.surgeon)
    addendum.text = "Rewritten"
    with pytest.raises(SignedRecordError):
        addendum.save()
    assert OperativeAddendum.objects.get().text == "First"


def test_a_nurse_cannot_add_an_addendum_even_through_the_service(cast: Any) -> None:
    record = signed_record(cast.quinn_episode, cast.surgeon)
    with pytest.raises(DomainError) as refused:
        services.operative_addendum_add(record=record, text="x", actor=cast.nurse)
    assert refused.value.status == 403


def test_a_blocked_move_to_recover_stores_no_discharge(cast: Any, monkeypatch: Any) -> None:
    signed_record(cast.episode, cast.surgeon)
    monkeypatch.setitem(gates._gates, Stage.RECOVER, [lambda episode: ["ward round pending"]])
    with pytest.raises(DomainError, match="ward round pending"):
        services.discharge_record(episode=cast.episode, data=discharge_payload(), actor=cast.nurse)
    assert not Discharge.objects.exists()
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.OPERATE and cast.episode.discharged_on is None


def test_discharge_starts_the_recovery_schedule(cast: Any) -> None:
    from endospine.recover.models import ScheduledCheckin

    signed_record(cast.episode, cast.surgeon)
    services.discharge_record(episode=cast.episode, data=discharge_payload(), actor=cast.nurse)
    assert ScheduledCheckin.objects.filter(episode=cast.episode).exists()
