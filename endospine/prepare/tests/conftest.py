"""A checklist for Pat's episode, generated the way real use does: by entering prepare."""

from datetime import date, timedelta

import pytest

from conftest import Cast
from endospine.assess.services import findings_record
from endospine.journey.models import Episode, Stage
from endospine.journey.services import change_stage
from endospine.prepare.models import Checklist, ChecklistItem


@pytest.fixture(autouse=True)
def fast_hashing(settings: object) -> None:
    """The cast's ten users hash passwords quickly here; sign-in is tested elsewhere."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def recent_scan(cast: Cast, episode: Episode, days_ago: int = 10) -> None:
    """A scan read by the surgeon `days_ago` days ago (the gate checks its age)."""
    findings_record(
        episode=episode,
        actor=cast.surgeon,
        data={
            "modality": "mri",
            "imaging_date": date.today() - timedelta(days=days_ago),
            "concordant": True,
            "red_flags_asked": True,
        },
    )


@pytest.fixture
def preparing(cast: Cast) -> Episode:
    episode = cast.episode
    episode.surgery_date = date.today() + timedelta(days=20)
    episode.save()
    recent_scan(cast, episode)
    return change_stage(episode=episode, to_stage=Stage.PREPARE, actor=cast.surgeon)


def item(episode: Episode, code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(checklist__episode=episode, code=code)


def checklist(episode: Episode) -> Checklist:
    return Checklist.objects.get(episode=episode)
