"""The assessment engine: intake + findings in, recommendation and reasons out.

Pure (no Django, no I/O beyond the cached rule file) so it can be tested case by
case and run in well under a millisecond.

How a rule set is applied:
- Recommendation rules are checked in file order (precedence). The first that
  applies decides the recommendation and urgency.
- Every other rule whose condition also holds is reported too, after the deciding
  one, so the surgeon sees everything that fired (e.g. a red flag alongside a
  cauda equina emergency). A catch-all 'otherwise' rule is reported only when
  it decides: it carries no information otherwise.
- Urgency floors (e.g. severe weakness is never elective) then raise the
  urgency, never lower it, whatever the deciding rule said; a floor that
  raised it is reported (section "urgency").
- Approach rules run only for an endoscopic candidate with a finding, and read
  the first finding. Same ordering: first that applies decides.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from endospine.assess.inputs import AssessmentInput
from endospine.assess.rules import ApproachOutcome, RecommendationOutcome, Rule, RuleSet

CANDIDATE = "endoscopic_candidate"
URGENCY_RANK = {"elective": 0, "urgent": 1, "emergency": 2}


@dataclass(frozen=True)
class FiredRule:
    id: str
    rationale: str
    section: str
    decisive: bool


@dataclass(frozen=True)
class Result:
    recommendation: str
    urgency: str
    approach: str | None
    rules: tuple[FiredRule, ...]
    alternatives: tuple[str, ...]
    ruleset_version: str

    def as_dict(self) -> dict[str, Any]:
        """The response shape of POST /api/v1/assessment/evaluate."""
        return {
            "recommendation": self.recommendation,
            "urgency": self.urgency,
            "approach": self.approach,
            "rules": [{"id": r.id, "rationale": r.rationale} for r in self.rules],
            "alternatives": list(self.alternatives),
            "ruleset_version": self.ruleset_version,
        }


def facts_from(intake: AssessmentInput) -> dict[str, Any]:
    """The named facts the rule language can read (see conditions.FACTS)."""
    imaging = intake.imaging
    first = imaging.findings[0] if imaging.findings else None
    return {
        "age": intake.age,
        "leg_pain": intake.leg_pain,
        "back_pain": intake.back_pain,
        "symptom_weeks": intake.symptom_weeks,
        "conservative_care_weeks": intake.conservative_care_weeks,
        "motor_deficit": intake.motor_deficit,
        "cauda_equina_signs": intake.cauda_equina_signs,
        "red_flag_count": len(set(intake.red_flags)),
        "imaging_modality": imaging.modality,
        "imaging_concordant": imaging.concordant,
        "finding_count": len(imaging.findings),
        "levels_involved": len({f.level for f in imaging.findings}),
        "spondylolisthesis_grade": intake.spondylolisthesis_grade,
        "dynamic_instability": intake.dynamic_instability,
        "scoliosis_cobb": intake.scoliosis_cobb,
        "prior_surgery_same_level": intake.prior_surgery_same_level,
        "high_iliac_crest": intake.high_iliac_crest,
        "finding_level": first.level if first else None,
        "finding_pathology": first.pathology if first else None,
        "finding_zone": first.zone if first else None,
        "finding_migration": first.migration if first else None,
        "finding_calcified": first.calcified if first else False,
    }


def evaluate(intake: AssessmentInput, ruleset: RuleSet) -> Result:
    """Apply the rule set to one validated intake."""
    facts = facts_from(intake)
    decisive, fired = _apply(ruleset.recommendation_rules, facts)
    outcome = decisive.outcome
    assert isinstance(outcome, RecommendationOutcome)
    urgency: str = outcome.urgency
    for floor in ruleset.urgency_floors:
        if floor.test(facts) and URGENCY_RANK[floor.urgency] > URGENCY_RANK[urgency]:
            urgency = floor.urgency
            fired.append(FiredRule(floor.id, floor.rationale, "urgency", True))
    approach: str | None = None
    if outcome.recommendation == CANDIDATE and facts["finding_count"]:
        approach_rule, approach_fired = _apply(ruleset.approach_rules, facts)
        assert isinstance(approach_rule.outcome, ApproachOutcome)
        approach = approach_rule.outcome.approach
        fired += approach_fired
    return Result(
        recommendation=outcome.recommendation,
        urgency=urgency,
        approach=approach,
        rules=tuple(fired),
        alternatives=_alternatives(ruleset, outcome.recommendation, approach),
        ruleset_version=ruleset.version,
    )


def evaluate_data(data: Mapping[str, Any], ruleset: RuleSet) -> Result:
    """Validate raw input (pydantic ValidationError names the field) and evaluate it."""
    return evaluate(AssessmentInput.model_validate(data), ruleset)


def _apply(rules: tuple[Rule, ...], facts: Mapping[str, Any]) -> tuple[Rule, list[FiredRule]]:
    decisive: Rule | None = None
    fired: list[FiredRule] = []
    for rule in rules:
        if not rule.test(facts):
            continue
        if decisive is None:
            decisive = rule
            fired.append(FiredRule(rule.id, rule.rationale, rule.section, True))
        elif not rule.catch_all:
            fired.append(FiredRule(rule.id, rule.rationale, rule.section, False))
    # The loader guarantees each section ends with 'otherwise', so one always applies.
    assert decisive is not None
    return decisive, fired


def _alternatives(ruleset: RuleSet, recommendation: str, approach: str | None) -> tuple[str, ...]:
    alternatives = list(ruleset.recommendations[recommendation].alternatives)
    if approach is not None:
        alternatives += ruleset.approaches[approach].alternatives
    return tuple(alternatives)
