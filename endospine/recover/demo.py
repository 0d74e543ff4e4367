"""Demo check-ins: a routine one for every recovering patient, an urgent one with an
open alert for the first, and completed recoveries moved on to `complete`."""

from typing import Any

from endospine.core import clock
from endospine.core.demo import DemoContext
from endospine.journey.models import Episode, Stage
from endospine.journey.services import change_stage
from endospine.recover.models import ScheduledCheckin
from endospine.recover.services import checkin_submit, start_recovery

ROUTINE: dict[str, Any] = {
    "temperature_c": 36.8, "pain_back": 3, "pain_leg": 2, "pain_trend": "better",
    "pain_controlled": True, "wound_redness": "none", "wound_drainage": "none",
    "bladder": "normal", "free_text": "Walking a little more each day.",
}  # fmt: skip
URGENT: dict[str, Any] = {
    **ROUTINE, "temperature_c": 38.4, "wound_redness": "spreading",
    "free_text": "The skin around the cut looks redder than yesterday.",
}  # fmt: skip


def _ready(episode: Episode, ctx: DemoContext) -> bool:
    episode.refresh_from_db()
    if episode.stage != Stage.RECOVER:
        return False
    if not ScheduledCheckin.objects.filter(episode=episode).exists():
        start_recovery(episode=episode, discharged_at=clock.now(), actor=ctx.nurse)
    return True


def _submit(episode: Episode, answers: dict[str, Any], key: str) -> None:
    actor = episode.patient.user or episode.nurse
    checkin_submit(
        episode=episode,
        answers=answers,
        actor=actor,  # type: ignore[arg-type]
        idempotency_key=f"demo-{key}-{episode.pk}",
    )


def populate(ctx: DemoContext) -> None:
    for index, episode in enumerate(ctx.episodes.get(Stage.RECOVER, [])):
        if not _ready(episode, ctx):
            continue
        _submit(episode, ROUTINE, "routine")
        if index == 0:
            _submit(episode, URGENT, "urgent")  # its alert stays open for the nurse
    for episode in ctx.episodes.get(Stage.COMPLETE, []):
        if not _ready(episode, ctx):
            continue
        _submit(episode, ROUTINE, "routine")
        change_stage(
            episode=episode,
            to_stage=Stage.COMPLETE,
            actor=ctx.nurse,
            reason="Recovery check-ins finished",
        )
