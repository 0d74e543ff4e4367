"""The demo filler goes through the real services and leaves the stages the demo expects."""

from typing import Any

import pytest

from endospine.assess.demo import populate
from endospine.assess.models import Assessment, Decision
from endospine.core.demo import DemoContext
from endospine.journey.models import Stage
from endospine.testing import make_episode

pytestmark = pytest.mark.django_db


def test_populate(cast: Any) -> None:
    later = make_episode(cast.quinn, stage=Stage.ASSESS, surgeon=cast.surgeon)
    ctx = DemoContext(
        site=cast.north,
        surgeons=[cast.surgeon],
        nurse=cast.nurse,
        coordinator=cast.coordinator,
        lead=cast.lead,
        admin=cast.admin,
        patients=[cast.pat, cast.quinn],
        episodes={Stage.ASSESS: [cast.episode], Stage.OPERATE: [later]},
    )
    populate(ctx)
    later.refresh_from_db()
    cast.episode.refresh_from_db()
    assert later.stage == Stage.PREPARE
    assert Decision.objects.get().assessment.episode == later
    assert cast.episode.stage == Stage.ASSESS
    waiting = Assessment.objects.get(episode=cast.episode)
    assert waiting.recommendation == "obtain_imaging"
