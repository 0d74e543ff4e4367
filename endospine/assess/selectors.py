"""Reads of the assess step (access is checked by the caller through the policy)."""

from dataclasses import dataclass

from endospine.assess.models import Assessment, Findings, Intake
from endospine.journey.models import Episode


def latest_intake(episode: Episode) -> Intake | None:
    return Intake.objects.filter(episode=episode).order_by("-submitted_at").first()


def latest_findings(episode: Episode) -> Findings | None:
    return Findings.objects.filter(episode=episode).order_by("-recorded_at").first()


def assessments(episode: Episode) -> list[Assessment]:
    """Every assessment of the episode, newest first, with its decision if any."""
    return list(
        Assessment.objects.filter(episode=episode)
        .select_related("decision", "decision__decided_by", "recorded_by")
        .order_by("-recorded_at")
    )


@dataclass(frozen=True)
class PatientView:
    """What the patient's result page shows: only a surgeon's decision, never a raw suggestion."""

    intake: Intake | None
    decided: Assessment | None


def for_patient(episode: Episode) -> PatientView:
    decided = (
        Assessment.objects.filter(episode=episode)
        .filter(decision__isnull=False)
        .select_related("decision")
        .order_by("-decision__decided_at")
        .first()
    )
    return PatientView(intake=latest_intake(episode), decided=decided)


# Asked afresh every time: a cauda equina or weakness answer from last week says
# nothing about today, and a filled-in "no" is easy to skim past.
SAFETY_QUESTIONS = ("saddle_numbness", "bladder_change", "bowel_change", "weakness")
_INTAKE_FIELDS = (
    "leg_pain", "back_pain", "symptom_weeks", "physio_weeks", "medication_weeks",
    "injection_weeks", "numbness",
)  # fmt: skip


def intake_initial(episode: Episode) -> dict[str, object]:
    """The latest answers, to fill in "change my answers" (safety questions left blank)."""
    latest = latest_intake(episode)
    if latest is None:
        return {}
    values = {name: getattr(latest, name) for name in _INTAKE_FIELDS}
    return {
        name: ("yes" if value else "no") if isinstance(value, bool) else str(value)
        for name, value in values.items()
    }
