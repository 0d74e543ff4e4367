"""Shared builders for the PROM tests."""

from datetime import date, timedelta
from typing import Any

from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.proms import services
from endospine.proms.scoring import ODI_SECTIONS

ODI_32 = dict(zip(ODI_SECTIONS, [2, 2, 2, 2, 2, 2, 1, 1, 1, 1], strict=True))  # scores 32.0


def today() -> date:
    return clock.now().date()


def in_recovery(episode: Episode, *, days_ago: int = 42) -> date:
    """Put the episode `days_ago` days after surgery, with its follow-up scheduled."""
    surgery = today() - timedelta(days=days_ago)
    Episode.objects.filter(pk=episode.pk).update(stage=Stage.RECOVER, surgery_date=surgery)
    episode.refresh_from_db()
    services.schedule_followup(episode=episode, surgery_date=surgery)
    return surgery


def all_three(leg: int = 7, back: int = 5, odi: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"nrs_leg": {"pain": leg}, "nrs_back": {"pain": back}, "odi": odi or ODI_32}
