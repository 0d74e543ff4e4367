"""The operate demo filler: drafts for episodes in theatre, signed records and discharges beyond."""

from typing import Any

import pytest

from endospine.core.demo import DemoContext
from endospine.journey.models import Stage
from endospine.operate import demo
from endospine.operate.models import Discharge, OperativeRecord
from endospine.operate.tests.helpers import in_theatre
from endospine.testing import make_episode

pytestmark = pytest.mark.django_db


def test_populate(cast: Any) -> None:
    staying = in_theatre(cast.episode)
    going = in_theatre(make_episode(cast.quinn, surgeon=cast.surgeon, title="L5-S1 disc, right",
                                    surgery_in_days=-3))  # fmt: skip
    done = in_theatre(make_episode(cast.pat, surgeon=cast.surgeon, surgery_in_days=-100))
    not_ready = make_episode(cast.quinn, stage=Stage.PREPARE, surgeon=cast.surgeon)
    ctx = DemoContext(
        site=cast.north, surgeons=[cast.surgeon], nurse=cast.nurse, coordinator=cast.coordinator,
        lead=cast.lead, admin=cast.admin, patients=[cast.pat, cast.quinn],
        episodes={Stage.OPERATE: [staying], Stage.RECOVER: [going, not_ready],
                  Stage.COMPLETE: [done]},
    )  # fmt: skip
    demo.populate(ctx)
    assert not OperativeRecord.objects.get(episode=staying).is_signed
    for episode in (going, done):
        episode.refresh_from_db()
        assert episode.stage == Stage.RECOVER
        assert OperativeRecord.objects.get(episode=episode).is_signed
        assert Discharge.objects.filter(episode=episode).exists()
    going_record = OperativeRecord.objects.get(episode=going)
    assert going_record.levels == ["L5-S1"] and going_record.side == "right"
    assert not OperativeRecord.objects.filter(episode=not_ready).exists()
    demo.populate(ctx)  # idempotent on a second run
    assert OperativeRecord.objects.count() == 3
