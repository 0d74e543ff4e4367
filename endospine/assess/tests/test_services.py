"""Intake, findings, assessment and the surgeon's decision, on a real database."""

from typing import Any

import pytest

from endospine.assess.models import Assessment, Decision, Findings
from endospine.assess.services import (
    assessment_record,
    decision_record,
    findings_record,
    intake_submit,
)
from endospine.audit.models import AuditEvent
from endospine.core.errors import DomainError
from endospine.journey.models import Stage

pytestmark = pytest.mark.django_db

INTAKE: dict[str, Any] = {
    "leg_pain": 8,
    "back_pain": 2,
    "symptom_weeks": 10,
    "physio_weeks": 8,
    "medication_weeks": 6,
    "injection_weeks": 0,
    "weakness": "mild",
    "numbness": True,
    "saddle_numbness": False,
    "bladder_change": False,
    "bowel_change": False,
    "sexual_dysfunction": False,
    "both_legs": False,
}
FINDINGS: dict[str, Any] = {
    "modality": "mri",
    "red_flags_asked": True,
    "concordant": True,
    "levels": [{"level": "L5-S1", "pathology": "disc_herniation", "zone": "paracentral"}],
}


def candidate(cast: Any) -> Assessment:
    intake_submit(episode=cast.episode, actor=cast.pat.user, answers=INTAKE)
    findings_record(episode=cast.episode, actor=cast.surgeon, data=FINDINGS)
    return assessment_record(episode=cast.episode, actor=cast.nurse)


def test_assessment_stores_inputs_result_and_version(cast: Any) -> None:
    assessment = candidate(cast)
    assert assessment.recommendation == "endoscopic_candidate"
    assert assessment.approach == "interlaminar"
    assert assessment.ruleset_version == "1.1.0"
    assert assessment.inputs["conservative_care_weeks"] == 8  # the longest treatment
    assert assessment.inputs["age"] > 40
    assert assessment.result["rules"][0] == {
        "id": "candidate",
        "rationale": assessment.result["rules"][0]["rationale"],
        "section": "recommendation",
        "decisive": True,
    }
    assert AuditEvent.objects.filter(record_type="assess.assessment").count() == 1


def test_confirming_a_candidate_moves_the_episode_to_prepare(cast: Any) -> None:
    assessment = candidate(cast)
    decision = decision_record(assessment=assessment, actor=cast.surgeon, kind="confirm")
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.PREPARE
    assert (decision.recommendation, decision.approach) == ("endoscopic_candidate", "interlaminar")
    kinds = list(cast.episode.events.values_list("kind", flat=True))
    assert kinds.index("assessment_confirm") < kinds.index("stage_changed")


def test_confirming_conservative_care_keeps_the_episode_in_assess(cast: Any) -> None:
    intake_submit(
        episode=cast.episode,
        actor=cast.pat.user,
        answers=INTAKE | {"physio_weeks": 2, "medication_weeks": 2},
    )
    findings_record(episode=cast.episode, actor=cast.surgeon, data=FINDINGS)
    assessment = assessment_record(episode=cast.episode, actor=cast.surgeon)
    assert assessment.recommendation == "conservative_care"
    decision_record(assessment=assessment, actor=cast.surgeon, kind="confirm")
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.ASSESS


def test_override_keeps_suggestion_decision_and_reason(cast: Any) -> None:
    assessment = candidate(cast)
    decision_record(
        assessment=assessment,
        actor=cast.surgeon,
        kind="override",
        recommendation="conservative_care",
        reason="Patient prefers to wait",
    )
    assessment.refresh_from_db()
    decision = Decision.objects.get(assessment=assessment)
    assert assessment.recommendation == "endoscopic_candidate"  # the suggestion is kept
    assert (decision.kind, decision.recommendation, decision.reason) == (
        "override",
        "conservative_care",
        "Patient prefers to wait",
    )
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.ASSESS
    event = cast.episode.events.get(kind="assessment_override")
    assert event.data["suggested"] == "endoscopic_candidate"
    assert event.data["reason"] == "Patient prefers to wait"


def test_override_to_endoscopic_with_other_approach_moves_to_prepare(cast: Any) -> None:
    intake_submit(
        episode=cast.episode,
        actor=cast.pat.user,
        answers=INTAKE | {"physio_weeks": 2, "medication_weeks": 2, "weakness": "none"},
    )
    findings_record(episode=cast.episode, actor=cast.surgeon, data=FINDINGS)
    assessment = assessment_record(episode=cast.episode, actor=cast.surgeon)
    decision = decision_record(
        assessment=assessment,
        actor=cast.surgeon,
        kind="override",
        recommendation="endoscopic_candidate",
        approach="transforaminal",
        reason="Unbearable pain despite short conservative care",
    )
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.PREPARE and decision.approach == "transforaminal"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "override", "recommendation": "conservative_care"}, "reason"),
        ({"kind": "override", "recommendation": "surgery", "reason": "x"}, "recommendation"),
        (
            {
                "kind": "override",
                "recommendation": "conservative_care",
                "approach": "interlaminar",
                "reason": "x",
            },
            "approach",
        ),
        ({"kind": "maybe"}, "kind"),
    ],
)
def test_bad_decision_is_refused_and_nothing_is_stored(
    cast: Any, kwargs: dict[str, Any], field: str
) -> None:
    assessment = candidate(cast)
    with pytest.raises(DomainError) as caught:
        decision_record(assessment=assessment, actor=cast.surgeon, **kwargs)
    assert caught.value.errors[0][0] == field
    assert not Decision.objects.exists()


def test_only_a_surgeon_decides_and_only_once(cast: Any) -> None:
    assessment = candidate(cast)
    with pytest.raises(DomainError):
        decision_record(assessment=assessment, actor=cast.nurse, kind="confirm")
    decision_record(assessment=assessment, actor=cast.surgeon, kind="confirm")
    with pytest.raises(DomainError, match="already"):
        decision_record(assessment=assessment, actor=cast.surgeon, kind="confirm")


def test_assessment_needs_an_intake(cast: Any) -> None:
    with pytest.raises(DomainError) as caught:
        assessment_record(episode=cast.episode, actor=cast.nurse)
    assert caught.value.errors[0][0] == "intake"


def test_without_findings_imaging_counts_as_missing(cast: Any) -> None:
    intake_submit(episode=cast.episode, actor=cast.pat.user, answers=INTAKE)
    assessment = assessment_record(episode=cast.episode, actor=cast.nurse)
    assert assessment.recommendation == "obtain_imaging"


def test_cauda_equina_answer_is_an_emergency_on_the_timeline(cast: Any) -> None:
    intake = intake_submit(
        episode=cast.episode, actor=cast.pat.user, answers=INTAKE | {"bladder_change": True}
    )
    assert intake.needs_emergency_care
    assert "EMERGENCY" in cast.episode.events.get(kind="intake_submitted").summary
    assessment = assessment_record(episode=cast.episode, actor=cast.nurse)
    assert (assessment.recommendation, assessment.urgency) == ("emergency_referral", "emergency")


def test_clinician_weakness_wins_when_worse(cast: Any) -> None:
    intake_submit(episode=cast.episode, actor=cast.pat.user, answers=INTAKE)
    findings_record(
        episode=cast.episode, actor=cast.surgeon, data=FINDINGS | {"motor_deficit": "progressive"}
    )
    assert assessment_record(episode=cast.episode, actor=cast.nurse).urgency == "emergency"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"leg_pain": 11}, "leg_pain"),
        ({"weakness": "some"}, "weakness"),
        ({"physio_weeks": -1}, "physio_weeks"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_intake_is_refused(cast: Any, answers: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as caught:
        intake_submit(episode=cast.episode, actor=cast.pat.user, answers=INTAKE | answers)
    assert caught.value.errors[0][0] == field
    assert not cast.episode.intakes.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"modality": "none"}, "levels"),
        ({"levels": [{"level": "L9-L10", "pathology": "disc_herniation"}]}, "levels.0.level"),
        ({"scoliosis_cobb": -2}, "scoliosis_cobb"),
        ({"red_flags": ["night_pain"]}, "red_flags.0"),
        ({"imaging_date": "2999-01-01"}, "imaging_date"),
    ],
)
def test_bad_findings_are_refused(cast: Any, data: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as caught:
        findings_record(episode=cast.episode, actor=cast.surgeon, data=FINDINGS | data)
    assert caught.value.errors[0][0] == field
    assert not cast.episode.findings.exists()


def test_assessment_refused_outside_assess_and_prepare(cast: Any) -> None:
    intake_submit(episode=cast.quinn_episode, actor=cast.quinn.user, answers=INTAKE)
    with pytest.raises(DomainError):
        assessment_record(episode=cast.quinn_episode, actor=cast.nurse)  # still in learn


def test_findings_with_a_scan_but_nothing_recorded_are_refused(cast: Any) -> None:
    with pytest.raises(DomainError) as refused:
        findings_record(episode=cast.episode, actor=cast.surgeon, data={"modality": "mri"})
    assert refused.value.errors[0][0] == "levels"
    assert not Findings.objects.exists()
