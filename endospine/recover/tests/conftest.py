"""Fixtures of the recover tests: Pat's episode discharged and in recovery."""

from datetime import date, timedelta

import pytest

from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.recover.services import start_recovery


@pytest.fixture(autouse=True)
def _reset_clock() -> object:
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def recovering(cast: object) -> Episode:
    """Pat's episode, operated two days ago and discharged yesterday."""
    episode: Episode = cast.episode  # type: ignore[attr-defined]
    Episode.objects.filter(pk=episode.pk).update(
        stage=Stage.RECOVER, surgery_date=date.today() - timedelta(days=2),
        discharged_on=date.today() - timedelta(days=1),
    )  # fmt: skip
    episode.refresh_from_db()
    start_recovery(episode=episode, discharged_at=clock.now() - timedelta(days=1), actor=cast.nurse)  # type: ignore[attr-defined]
    return episode
