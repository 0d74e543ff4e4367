"""Demo checklists: half-done for patients still preparing, complete for those past it.

Episodes arrive here in `prepare`. Those meant to be further along get every
item closed the way real use would (the patient ticks theirs, the nurse
verifies the rest) and then pass the gate to `operate` without an override.
"""

from datetime import timedelta

from endospine.core.demo import DemoContext
from endospine.journey.models import Episode, Stage
from endospine.journey.services import change_stage
from endospine.prepare.models import ChecklistItem, ItemState, Owner
from endospine.prepare.services import checklist_generate, item_tick, item_verify

PAST_PREPARE = (Stage.OPERATE, Stage.RECOVER, Stage.COMPLETE)


def _close(item: ChecklistItem, episode: Episode, ctx: DemoContext) -> None:
    if item.state != ItemState.OPEN:
        return
    if item.owner == Owner.PATIENT and episode.patient.user is not None:
        item_tick(item=item, actor=episode.patient.user)
        return
    stop_date = None
    note = ""
    if item.records_stop_date:
        note = "Takes no blood thinners or antiplatelets"
        if episode.surgery_date:  # so the demo shows a prescriber's date to stop
            stop_date, note = (
                episode.surgery_date - timedelta(days=5),
                "Aspirin, as prescriber said",
            )
    item_verify(item=item, actor=ctx.nurse, stop_date=stop_date, note=note)


def _prepare(episode: Episode, ctx: DemoContext, share: float) -> None:
    """Close the first `share` of the items (patient and staff alike)."""
    checklist = checklist_generate(episode=episode, actor=ctx.nurse)
    items = list(checklist.items.all())
    for item in items[: round(len(items) * share)]:
        _close(item, episode, ctx)


def populate(ctx: DemoContext) -> None:
    for episode in ctx.episodes.get(Stage.PREPARE, []):
        _prepare(episode, ctx, share=0.5)
    for target in PAST_PREPARE:
        for episode in ctx.episodes.get(target, []):
            _prepare(episode, ctx, share=1.0)
            episode.refresh_from_db()
            if episode.stage == Stage.PREPARE:
                change_stage(
                    episode=episode,
                    to_stage=Stage.OPERATE,
                    actor=ctx.surgeons[0],
                    reason="Preparation complete",
                )
