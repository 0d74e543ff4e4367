"""Demo operative records and discharges, filed through the operate services.

Episodes arrive here in `operate`. Those meant to stay there get a draft
record (the surgeon has started the note); those meant for `recover` or
`complete` get a signed record and a discharge, which moves them to `recover`
and starts their check-in schedule, as on a real ward.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from endospine.core import clock
from endospine.core.demo import DemoContext
from endospine.journey.models import Episode, Stage
from endospine.operate import services
from endospine.operate.models import OperativeRecord
from endospine.operate.selectors import site_today, site_zone

# A few realistic variations so the note, the instructions and later the
# outcome comparisons by technique have something to show.
VARIANTS: list[dict[str, Any]] = [
    {"technique": "uniportal_full_endoscopic", "approach": "transforaminal", "foraminoplasty": True,
     "endoscope_outer_diameter_mm": 6.9, "endoscope_working_channel_mm": 4.1,
     "endoscope_viewing_angle_deg": 30, "anaesthesia": "local_sedation", "incision_length_mm": 8,
     "skin_to_skin_minutes": 65, "closure": "suture", "events": ["none"]},
    {"technique": "uniportal_full_endoscopic", "approach": "interlaminar", "foraminoplasty": False,
     "endoscope_outer_diameter_mm": 7.9, "endoscope_working_channel_mm": 4.7,
     "endoscope_viewing_angle_deg": 25, "anaesthesia": "general", "incision_length_mm": 10,
     "skin_to_skin_minutes": 80, "closure": "skin_glue", "events": ["dural_tear"],
     "notes": "Small dural tear, sealed with a fibrin patch; no leak on Valsalva."},
    {"technique": "biportal_ube", "approach": "interlaminar", "foraminoplasty": False,
     "endoscope_outer_diameter_mm": 4.0, "endoscope_working_channel_mm": 1.5,
     "endoscope_viewing_angle_deg": 0, "anaesthesia": "epidural_spinal", "incision_length_mm": 16,
     "skin_to_skin_minutes": 95, "closure": "adhesive_strips", "events": ["none"]},
]  # fmt: skip


def _level(episode: Episode) -> str:
    for word in episode.title.replace(",", " ").split():
        if "-" in word and word[0] in "CTL":
            return word
    return "L4-L5"


def _record_data(episode: Episode, surgeon_name: str, index: int) -> dict[str, Any]:
    today = site_today(episode)
    operated = min(episode.surgery_date or today, today)
    side = "right" if "right" in episode.title.lower() else "left"
    data: dict[str, Any] = {
        "operation_date": operated, "surgeons": [surgeon_name], "levels": [_level(episode)],
        "side": side, "irrigation_fluid": "normal_saline", "irrigation_mode": "pump",
        "pump_pressure_mmhg": 35, "fluoroscopy_seconds": 30 + index * 7,
        "estimated_blood_loss_ml": 10 + index * 5, "specimen": "histology", "notes": "",
    }  # fmt: skip
    data.update(VARIANTS[index % len(VARIANTS)])
    return data


def _draft(episode: Episode, ctx: DemoContext, index: int) -> OperativeRecord:
    surgeon = episode.surgeon or ctx.surgeons[0]
    return services.operative_record_create(
        episode=episode, data=_record_data(episode, surgeon.display_name, index), actor=surgeon
    )


def _discharge_time(episode: Episode, operated: date, index: int) -> datetime:
    """Same day for most, next morning for some, never in the future."""
    day = operated + timedelta(days=index % 2)
    moment = datetime.combine(day, time(16, 30) if index % 2 == 0 else time(10, 0))
    return min(moment.replace(tzinfo=site_zone(episode)), clock.now() - timedelta(minutes=1))


def _operated_and_discharged(episode: Episode, ctx: DemoContext, index: int) -> None:
    record = _draft(episode, ctx, index)
    surgeon = episode.surgeon or ctx.surgeons[0]
    services.operative_record_sign(record=record, actor=surgeon)
    at = _discharge_time(episode, record.operation_date, index)
    data = {
        "discharged_at": at,
        "first_walk_hours": 2 + index,
        "pain_at_discharge": 2 + index % 3,
        "destination": "home" if index % 3 else "home_with_support",
    }
    services.discharge_record(episode=episode, data=data, actor=ctx.nurse)


def populate(ctx: DemoContext) -> None:
    index = 0
    for target in (Stage.OPERATE, Stage.RECOVER, Stage.COMPLETE):
        for episode in ctx.episodes.get(target, []):
            episode.refresh_from_db()
            if episode.stage != Stage.OPERATE or hasattr(episode, "operative_record"):
                continue  # an earlier step did not bring it to theatre: leave it to journey
            if target == Stage.OPERATE:
                _draft(episode, ctx, index)
            else:
                _operated_and_discharged(episode, ctx, index)
            index += 1
