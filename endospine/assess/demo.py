"""Demo assessments, made through the real services.

Episodes arrive in `assess`. Those meant to be further along (prepare and
beyond) get the patient's intake, the surgeon's findings, an assessment and
the surgeon's confirmation, which moves them on to `prepare`. Those meant to
stay in `assess` get the intake and an assessment waiting for a decision.
"""

from datetime import date, timedelta
from typing import Any

from endospine.accounts.models import User
from endospine.assess.models import DecisionKind
from endospine.assess.services import (
    assessment_record,
    decision_record,
    findings_record,
    intake_submit,
)
from endospine.core import clock
from endospine.core.demo import DemoContext
from endospine.journey.models import Episode, Stage

PAST_ASSESS = (Stage.PREPARE, Stage.OPERATE, Stage.RECOVER, Stage.COMPLETE)

CANDIDATE_INTAKE: dict[str, Any] = {
    "leg_pain": 7,
    "back_pain": 3,
    "symptom_weeks": 12,
    "physio_weeks": 8,
    "medication_weeks": 10,
    "injection_weeks": 0,
    "weakness": "mild",
    "numbness": True,
    "saddle_numbness": False,
    "bladder_change": False,
    "bowel_change": False,
    "sexual_dysfunction": False,
    "both_legs": False,
}
CANDIDATE_FINDINGS: dict[str, Any] = {
    "modality": "mri",
    "red_flags_asked": True,
    "concordant": True,
    "levels": [
        {
            "level": "L4-L5",
            "pathology": "disc_herniation",
            "zone": "paracentral",
            "migration": "none",
            "calcified": False,
        }
    ],
}


def _scan_date(episode: Episode) -> date:
    """A scan recent enough for the planned surgery (prepare's imaging age check)."""
    today = clock.now().date()
    if episode.surgery_date is None:
        return today - timedelta(days=10)
    return min(today, episode.surgery_date - timedelta(days=30))


def _surgeon(episode: Episode, ctx: DemoContext) -> User:
    return episode.surgeon or ctx.surgeons[0]


def _patient_or(episode: Episode, fallback: User) -> User:
    return episode.patient.user or fallback


def populate(ctx: DemoContext) -> None:
    for target in PAST_ASSESS:
        for episode in ctx.episodes.get(target, []):
            surgeon = _surgeon(episode, ctx)
            intake_submit(
                episode=episode, actor=_patient_or(episode, ctx.nurse), answers=CANDIDATE_INTAKE
            )
            findings_record(
                episode=episode,
                actor=surgeon,
                data=CANDIDATE_FINDINGS | {"imaging_date": _scan_date(episode)},
            )
            assessment = assessment_record(episode=episode, actor=surgeon)
            decision_record(
                assessment=assessment,
                actor=surgeon,
                kind=DecisionKind.CONFIRM,
                reason="Demo: matches the clinical picture.",
            )
            episode.refresh_from_db()
    # Still being assessed: the intake is in but no scan has been read yet, so
    # the rules ask for imaging and the surgeon has not decided.
    for episode in ctx.episodes.get(Stage.ASSESS, []):
        intake_submit(
            episode=episode, actor=_patient_or(episode, ctx.nurse), answers=CANDIDATE_INTAKE
        )
        assessment_record(episode=episode, actor=ctx.nurse)
