"""Writes of the assess step: intake, findings, assessments and the surgeon's decision.

Each write is atomic, audited, and adds a timeline event so the episode page
tells the story. The rules themselves live in content/rules/assessment.yaml and
are applied by the pure engine (endospine.assess.engine).
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from endospine.access import Action, holds
from endospine.accounts.models import User
from endospine.assess.engine import CANDIDATE, Result, evaluate
from endospine.assess.inputs import AssessmentInput
from endospine.assess.models import Assessment, Decision, DecisionKind, Findings, Intake, Weakness
from endospine.assess.rules import APPROACHES, RECOMMENDATIONS, RuleSet, cached_ruleset
from endospine.assess.schemas import FindingsData, IntakeAnswers, validated
from endospine.audit.models import AuditAction
from endospine.core import clock
from endospine.core.errors import DomainError
from endospine.journey.models import Episode, Stage
from endospine.journey.services import change_stage, record_change

# Assessments are recorded while the episode is being assessed; in `prepare` a
# surgeon may still re-assess (e.g. after a new scan).
OPEN_STAGES = (Stage.ASSESS, Stage.PREPARE)
INTAKE_STAGES = (Stage.LEARN, Stage.ASSESS, Stage.PREPARE)
_SEVERITY: list[str] = [str(w) for w in Weakness]
MAX_REASON = 1000


def current_ruleset() -> RuleSet:
    """The rule set in use: settings.ENDOSPINE_ASSESSMENT_RULES, else the default file."""
    path = getattr(settings, "ENDOSPINE_ASSESSMENT_RULES", None)
    return cached_ruleset(str(path)) if path else cached_ruleset()


def _require_stage(episode: Episode, stages: tuple[str, ...]) -> None:
    if episode.stage not in stages:
        names = " or ".join(Stage(s).label for s in stages)
        raise DomainError("episode", f"this can only be done while the episode is in {names}")


@transaction.atomic
def intake_submit(
    *, episode: Episode, actor: User, answers: dict[str, Any], request: HttpRequest | None = None
) -> Intake:
    """Store the patient's answers. Emergency answers are put on the timeline at once."""
    _require_stage(episode, INTAKE_STAGES)
    data: IntakeAnswers = validated(IntakeAnswers, answers)
    intake = Intake.objects.create(
        episode=episode, submitted_by=actor, submitted_at=clock.now(), **data.model_dump()
    )
    summary = "Intake answers received"
    if intake.needs_emergency_care:
        summary = "Intake: EMERGENCY warning signs reported (cauda equina or worsening weakness)"
    record_change(
        episode=episode,
        obj=intake,
        action=AuditAction.CREATE,
        kind="intake_submitted",
        summary=summary,
        actor=actor,
        detail="intake",
        request=request,
        data={"intake_id": str(intake.pk), "emergency": intake.needs_emergency_care},
    )
    return intake


@transaction.atomic
def findings_record(
    *, episode: Episode, actor: User, data: dict[str, Any], request: HttpRequest | None = None
) -> Findings:
    """Store the clinician's imaging and examination findings."""
    _require_stage(episode, INTAKE_STAGES)
    spec: FindingsData = validated(FindingsData, data)
    if spec.modality == "none" and spec.levels:
        raise DomainError("levels", "findings need an MRI or CT scan; choose the scan type")
    if spec.modality != "none" and not spec.levels and spec.imaging_date is None:
        # An untouched form would otherwise be stored as "scan does not match, no levels".
        raise DomainError(
            "levels",
            _("Nothing was recorded: enter the scan date and what it shows at each level."),
        )
    if spec.imaging_date and spec.imaging_date > clock.now().date():
        raise DomainError("imaging_date", "the scan date cannot be in the future")
    values = spec.model_dump(mode="json")
    values["imaging_date"] = spec.imaging_date
    findings = Findings.objects.create(
        episode=episode, recorded_by=actor, recorded_at=clock.now(), **values
    )
    record_change(
        episode=episode,
        obj=findings,
        action=AuditAction.CREATE,
        kind="findings_recorded",
        summary="Imaging findings recorded",
        actor=actor,
        detail="findings",
        request=request,
        data={"findings_id": str(findings.pk)},
    )
    return findings


def assessment_input(
    episode: Episode, intake: Intake, findings: Findings | None
) -> AssessmentInput:
    """Combine the patient's answers and the clinician's findings into the engine's input.

    Where both describe the same thing, the more worrying answer wins (patient
    safety: never under-call): the worse weakness, and cauda equina signs from
    the patient's screening.
    """
    motor = intake.weakness
    if findings and findings.motor_deficit:
        motor = max(motor, findings.motor_deficit, key=_SEVERITY.index)
    imaging: dict[str, Any] = {"modality": "none"}
    if findings and findings.modality != "none":
        imaging = {
            "modality": findings.modality,
            "concordant": findings.concordant,
            "findings": findings.levels,
        }
    today = clock.now().date()
    born = episode.patient.date_of_birth
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    data = {
        "age": max(0, min(age, 120)),
        "leg_pain": intake.leg_pain,
        "back_pain": intake.back_pain,
        "symptom_weeks": intake.symptom_weeks,
        "conservative_care_weeks": intake.conservative_care_weeks,
        "motor_deficit": motor,
        "cauda_equina_signs": intake.cauda_equina_signs,
        "red_flags": list(findings.red_flags) if findings else [],
        "imaging": imaging,
        "spondylolisthesis_grade": findings.spondylolisthesis_grade if findings else 0,
        "dynamic_instability": findings.dynamic_instability if findings else False,
        "scoliosis_cobb": findings.scoliosis_cobb if findings else 0,
        "prior_surgery_same_level": findings.prior_surgery_same_level if findings else False,
        "high_iliac_crest": findings.high_iliac_crest if findings else False,
    }
    return validated(AssessmentInput, data)


def result_record(result: Result) -> dict[str, Any]:
    """The stored result: the API shape plus which rules decided and their section."""
    body = result.as_dict()
    body["rules"] = [
        {"id": r.id, "rationale": r.rationale, "section": r.section, "decisive": r.decisive}
        for r in result.rules
    ]
    return body


@transaction.atomic
def assessment_record(
    *, episode: Episode, actor: User, request: HttpRequest | None = None
) -> Assessment:
    """Run the rules on the latest intake and findings and store inputs, result and version."""
    _require_stage(episode, OPEN_STAGES)
    intake = Intake.objects.filter(episode=episode).order_by("-submitted_at").first()
    if intake is None:
        raise DomainError("intake", "the patient's intake answers are needed first")
    findings = Findings.objects.filter(episode=episode).order_by("-recorded_at").first()
    inputs = assessment_input(episode, intake, findings)
    result = evaluate(inputs, current_ruleset())
    assessment = Assessment.objects.create(
        episode=episode,
        intake=intake,
        findings=findings,
        recorded_by=actor,
        recorded_at=clock.now(),
        inputs=inputs.model_dump(mode="json"),
        result=result_record(result),
        ruleset_version=result.ruleset_version,
        recommendation=result.recommendation,
        urgency=result.urgency,
        approach=result.approach or "",
    )
    record_change(
        episode=episode,
        obj=assessment,
        action=AuditAction.CREATE,
        kind="assessment_recorded",
        summary=f"Assessment suggests {result.recommendation.replace('_', ' ')} ({result.urgency})",
        actor=actor,
        detail="assessment",
        request=request,
        data={
            "assessment_id": str(assessment.pk),
            "rules": result_record(result)["rules"],
            "ruleset_version": result.ruleset_version,
        },
    )
    return assessment


def _check_screens_asked(assessment: Assessment, recommendation: str) -> None:
    """A candidate decision needs both safety screens asked (issue 16 item 3)."""
    if recommendation != CANDIDATE:
        return
    if not assessment.intake.cauda_equina_screen_asked:
        raise DomainError(
            "cauda_equina",
            "the cauda equina screen was never fully asked; record a new intake first",
        )
    if assessment.findings is None or not assessment.findings.red_flags_asked:
        raise DomainError(
            "red_flags", "the red-flag screen was never asked; record it in the findings first"
        )


def _check_decision(
    assessment: Assessment, actor: User, kind: str, recommendation: str, approach: str, reason: str
) -> None:
    if not holds(actor, Action.DECIDE_ASSESSMENT):
        raise DomainError("decision", "only a surgeon may decide", status=403)
    if hasattr(assessment, "decision"):
        raise DomainError("decision", "this assessment has already been decided")
    if kind not in DecisionKind.values:
        raise DomainError("kind", "choose confirm or override")
    if len(reason) > MAX_REASON:
        raise DomainError("reason", f"keep the reason under {MAX_REASON} characters")
    if kind == DecisionKind.OVERRIDE:
        if recommendation not in RECOMMENDATIONS:
            raise DomainError("recommendation", "choose the recommendation you decide on")
        if approach and approach not in APPROACHES:
            raise DomainError("approach", "choose transforaminal or interlaminar")
        if approach and recommendation != CANDIDATE:
            raise DomainError("approach", "an approach applies only to endoscopic surgery")
        if not reason:
            raise DomainError("reason", "say why you override the suggestion")


@transaction.atomic
def decision_record(
    *,
    assessment: Assessment,
    actor: User,
    kind: str,
    recommendation: str = "",
    approach: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
) -> Decision:
    """The surgeon confirms or overrides an assessment; both are kept.

    When the decision is endoscopic surgery and the episode is being assessed, the
    episode moves on to `prepare` in the same transaction (a refused move undoes
    the decision too).
    """
    assessment = (
        Assessment.objects.select_for_update().select_related("episode").get(pk=assessment.pk)
    )
    episode = assessment.episode
    _require_stage(episode, OPEN_STAGES)
    reason = reason.strip()
    _check_decision(assessment, actor, kind, recommendation, approach, reason)
    if kind == DecisionKind.CONFIRM:
        recommendation, approach = assessment.recommendation, assessment.approach
    elif recommendation == CANDIDATE and not approach:
        approach = assessment.approach
    _check_screens_asked(assessment, recommendation)
    decision = Decision.objects.create(
        assessment=assessment,
        decided_by=actor,
        decided_at=clock.now(),
        kind=kind,
        recommendation=recommendation,
        approach=approach,
        reason=reason,
    )
    verb = "confirmed" if kind == DecisionKind.CONFIRM else "overrode the suggestion with"
    record_change(
        episode=episode,
        obj=decision,
        action=AuditAction.CREATE,
        kind=f"assessment_{kind}",
        summary=f"Surgeon {verb} {recommendation.replace('_', ' ')}",
        actor=actor,
        detail=f"decision {kind}",
        request=request,
        data={
            "assessment_id": str(assessment.pk),
            "reason": reason,
            "suggested": assessment.recommendation,
            "decided": recommendation,
        },
    )
    if recommendation == CANDIDATE and episode.stage == Stage.ASSESS:
        change_stage(
            episode=episode,
            to_stage=Stage.PREPARE,
            actor=actor,
            reason="Surgeon decided on endoscopic surgery",
            request=request,
        )
    return decision
