"""Shared builders for the operate tests: a valid record and discharge, an episode in theatre."""

from datetime import timedelta
from typing import Any

from endospine.accounts.models import User
from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.operate import services
from endospine.operate.models import Discharge, OperativeRecord


def record_payload(**changes: Any) -> dict[str, Any]:
    today = clock.now().date()
    payload: dict[str, Any] = {
        "operation_date": today.isoformat(),
        "surgeons": ["Dr Sam Surgeon"],
        "anaesthesia": "local_sedation",
        "technique": "uniportal_full_endoscopic",
        "approach": "transforaminal",
        "levels": ["L4-L5"],
        "side": "left",
        "foraminoplasty": True,
        "endoscope_outer_diameter_mm": 6.9,
        "endoscope_working_channel_mm": 4.1,
        "endoscope_viewing_angle_deg": 30,
        "irrigation_fluid": "normal_saline",
        "irrigation_mode": "pump",
        "pump_pressure_mmhg": 40,
        "incision_length_mm": 8,
        "skin_to_skin_minutes": 70,
        "fluoroscopy_seconds": 35,
        "estimated_blood_loss_ml": 10,
        "events": ["none"],
        "specimen": "histology",
        "closure": "suture",
        "notes": "Fragment removed.",
    }
    payload.update(changes)
    return payload


def discharge_payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "discharged_at": (clock.now() - timedelta(minutes=5)).isoformat(),
        "first_walk_hours": 2,
        "pain_at_discharge": 3,
        "destination": "home",
    }
    payload.update(changes)
    return payload


def in_theatre(episode: Episode) -> Episode:
    """Put an episode in `operate` directly: the stage rules are journey's tests, not ours."""
    Episode.objects.filter(pk=episode.pk).update(stage=Stage.OPERATE)
    episode.refresh_from_db()
    return episode


def signed_record(episode: Episode, surgeon: User, **changes: Any) -> OperativeRecord:
    record = services.operative_record_create(
        episode=in_theatre(episode), data=record_payload(**changes), actor=surgeon
    )
    return services.operative_record_sign(record=record, actor=surgeon)


def discharged(episode: Episode, surgeon: User) -> Discharge:
    signed_record(episode, surgeon)
    return services.discharge_record(episode=episode, data=discharge_payload(), actor=surgeon)
