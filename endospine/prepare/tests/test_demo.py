"""The demo filler: half-done checklists while preparing, complete ones past the gate."""

import pytest

from endospine.core.demo import DemoContext
from endospine.journey.models import Stage, TimelineEvent
from endospine.journey.services import change_stage
from endospine.prepare import demo
from endospine.prepare.models import ChecklistItem, ItemState
from endospine.prepare.tests.conftest import recent_scan

pytestmark = pytest.mark.django_db


def test_populate_prepares_and_moves_episodes_without_an_override(cast, preparing):
    later = cast.quinn_episode
    later = change_stage(episode=later, to_stage=Stage.ASSESS, actor=cast.nurse)
    recent_scan(cast, later)  # the assess demo records one before prepare's runs
    later = change_stage(episode=later, to_stage=Stage.PREPARE, actor=cast.nurse)
    ctx = DemoContext(
        site=cast.north,
        surgeons=[cast.surgeon],
        nurse=cast.nurse,
        coordinator=cast.coordinator,
        lead=cast.lead,
        admin=cast.admin,
        patients=[cast.pat, cast.quinn],
        episodes={Stage.PREPARE: [preparing], Stage.RECOVER: [later]},
    )
    demo.populate(ctx)
    states = list(
        ChecklistItem.objects.filter(checklist__episode=preparing).values_list("state", flat=True)
    )
    assert ItemState.OPEN in states and len(set(states)) > 1  # partly done
    later.refresh_from_db()
    assert later.stage == Stage.OPERATE
    move = TimelineEvent.objects.get(episode=later, kind="stage_changed", data__to="operate")
    assert move.actor == cast.surgeon and move.data["override_reason"] == ""
    assert not ChecklistItem.objects.filter(checklist__episode=later, state=ItemState.OPEN).exists()
