"""Load and check the assessment rule file (content/rules/assessment.yaml).

A rule file that is wrong in any way is rejected as a whole with a message that
names the rule and the problem (RuleFileError); the program never runs on half
a rule set. Pure module: no Django imports.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from endospine.assess.conditions import ConditionError, Predicate, compile_condition, is_otherwise

DEFAULT_RULES_PATH = Path(__file__).resolve().parents[2] / "content" / "rules" / "assessment.yaml"

Recommendation = Literal[
    "emergency_referral",
    "further_workup",
    "obtain_imaging",
    "other_surgery",
    "conservative_care",
    "endoscopic_candidate",
]
Urgency = Literal["emergency", "urgent", "elective"]
# `surgeon_choice`: no approach the rules can name reaches the finding safely; the
# surgeon chooses (issue 16 item 6). An addition to the API's codes.
Approach = Literal["transforaminal", "interlaminar", "surgeon_choice"]
RECOMMENDATIONS: tuple[str, ...] = Recommendation.__args__  # type: ignore[attr-defined]
APPROACHES: tuple[str, ...] = Approach.__args__  # type: ignore[attr-defined]

_ID = r"^[a-z][a-z0-9_]{1,60}$"


class RuleFileError(ValueError):
    """The rule file cannot be used; str() lists every problem found."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class RecommendationOutcome(_Strict):
    recommendation: Recommendation
    urgency: Urgency


class ApproachOutcome(_Strict):
    approach: Approach


class _RuleSpec(_Strict):
    id: str = Field(pattern=_ID)
    condition: str = Field(min_length=1)
    rationale: str = Field(min_length=10)
    reference: str = Field(min_length=3)


class RecommendationRuleSpec(_RuleSpec):
    outcome: RecommendationOutcome


class ApproachRuleSpec(_RuleSpec):
    outcome: ApproachOutcome


class UrgencyFloorSpec(_Strict):
    """Raises the urgency to at least `urgency` whatever the deciding rule says."""

    id: str = Field(pattern=_ID)
    condition: str = Field(min_length=1)
    urgency: Urgency
    rationale: str = Field(min_length=10)
    reference: str = Field(min_length=3)


class Explanation(_Strict):
    """What an outcome means, in words a patient can read."""

    label: str = Field(min_length=3)
    meaning: str = Field(min_length=10)
    next_steps: str = Field(min_length=10)
    alternatives: list[str] = Field(default_factory=list)


class RuleFileSpec(_Strict):
    version: str = Field(min_length=1, max_length=40)
    title: str = ""
    recommendation_rules: list[RecommendationRuleSpec] = Field(min_length=1)
    approach_rules: list[ApproachRuleSpec] = Field(min_length=1)
    urgency_floors: list[UrgencyFloorSpec] = Field(default_factory=list)
    recommendations: dict[Recommendation, Explanation]
    approaches: dict[Approach, Explanation]


@dataclass(frozen=True)
class Rule:
    id: str
    section: str  # "recommendation" or "approach"
    condition: str
    rationale: str
    reference: str
    outcome: RecommendationOutcome | ApproachOutcome
    test: Predicate
    catch_all: bool


@dataclass(frozen=True)
class UrgencyFloor:
    id: str
    condition: str
    urgency: str
    rationale: str
    reference: str
    test: Predicate


@dataclass(frozen=True)
class RuleSet:
    version: str
    title: str
    recommendation_rules: tuple[Rule, ...]
    approach_rules: tuple[Rule, ...]
    recommendations: dict[str, Explanation]
    approaches: dict[str, Explanation]
    urgency_floors: tuple[UrgencyFloor, ...] = ()

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.recommendation_rules + self.approach_rules


def parse_ruleset(data: object) -> RuleSet:
    """Check a parsed rule file (a mapping) and compile it; RuleFileError if invalid."""
    try:
        spec = RuleFileSpec.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_where(e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise RuleFileError("invalid rule file:\n- " + "\n- ".join(problems)) from None
    problems = _missing_explanations(spec)
    rec_rules = _compile_section("recommendation", spec.recommendation_rules, problems)
    app_rules = _compile_section("approach", spec.approach_rules, problems)
    floors = _compile_floors(spec.urgency_floors, problems)
    seen: set[str] = set()
    all_specs: list[_RuleSpec | UrgencyFloorSpec] = [
        *spec.recommendation_rules,
        *spec.approach_rules,
        *spec.urgency_floors,
    ]
    for rule in all_specs:
        if rule.id in seen:
            problems.append(f"rule {rule.id!r}: the id is used twice")
        seen.add(rule.id)
    if problems:
        raise RuleFileError("invalid rule file:\n- " + "\n- ".join(problems))
    return RuleSet(
        version=spec.version,
        title=spec.title,
        recommendation_rules=rec_rules,
        approach_rules=app_rules,
        recommendations={str(k): v for k, v in spec.recommendations.items()},
        approaches={str(k): v for k, v in spec.approaches.items()},
        urgency_floors=floors,
    )


def _compile_floors(
    specs: Sequence[UrgencyFloorSpec], problems: list[str]
) -> tuple[UrgencyFloor, ...]:
    floors: list[UrgencyFloor] = []
    for spec in specs:
        try:
            test = compile_condition(spec.condition)
        except ConditionError as exc:
            problems.append(f"urgency floor {spec.id!r}: condition {spec.condition!r}: {exc}")
            continue
        floors.append(
            UrgencyFloor(
                id=spec.id,
                condition=spec.condition.strip(),
                urgency=spec.urgency,
                rationale=spec.rationale.strip(),
                reference=spec.reference.strip(),
                test=test,
            )
        )
    return tuple(floors)


def parse_ruleset_text(text: str) -> RuleSet:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleFileError(f"the rule file is not valid YAML: {exc}") from None
    return parse_ruleset(data)


def load_ruleset(path: Path | str = DEFAULT_RULES_PATH) -> RuleSet:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(f"cannot read the rule file {path}: {exc.strerror}") from None
    return parse_ruleset_text(text)


@functools.cache
def cached_ruleset(path: str = str(DEFAULT_RULES_PATH)) -> RuleSet:
    """The rule set at `path`, loaded once per process (the file changes by deploy)."""
    return load_ruleset(path)


def _compile_section(
    section: str,
    specs: Sequence[RecommendationRuleSpec | ApproachRuleSpec],
    problems: list[str],
) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for position, spec in enumerate(specs, start=1):
        label = f"{section} rule {position} ({spec.id!r})"
        if rules and rules[-1].catch_all:
            problems.append(f"{label}: can never apply, it comes after 'otherwise'")
        try:
            test = compile_condition(spec.condition)
        except ConditionError as exc:
            problems.append(f"{label}: condition {spec.condition!r}: {exc}")
            continue
        rules.append(
            Rule(
                id=spec.id,
                section=section,
                condition=spec.condition.strip(),
                rationale=spec.rationale.strip(),
                reference=spec.reference.strip(),
                outcome=spec.outcome,
                test=test,
                catch_all=is_otherwise(spec.condition),
            )
        )
    if rules and not rules[-1].catch_all:
        problems.append(f"{section} rules: the last rule must have the condition 'otherwise'")
    return tuple(rules)


def _missing_explanations(spec: RuleFileSpec) -> list[str]:
    problems = [
        f"recommendations: {name!r} needs a plain-language explanation"
        for name in RECOMMENDATIONS
        if name not in spec.recommendations
    ]
    problems += [
        f"approaches: {name!r} needs a plain-language explanation"
        for name in APPROACHES
        if name not in spec.approaches
    ]
    return problems


def _where(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "(the whole file)"
