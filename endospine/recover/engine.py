"""The triage engine: check-in answers + rule set -> level, reasons, advice.

Pure Python (no Django) so that every rule can be tested case by case and a
check-in is evaluated in microseconds. The rules are data
(content/rules/triage.yaml); this module only knows how to read and apply
them. Safety properties it guarantees:

- the highest level of any matching rule or free-text finding wins;
- free-text findings can only raise the level, never lower it;
- every matching rule and finding is returned as a reason;
- an unreported field (absent or None) never matches a rule.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

# In increasing severity. "review": a clinician reads it within the site's review window
# (a rule such as constipation on opioids, or free text the detector could not read with
# confidence: the review net, issue 10).
LEVELS = ("routine", "review", "urgent", "emergency")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}

# The check-in fields a rule may test (the API contract of issue 5).
FIELDS = frozenset(
    {
        "days_since_surgery", "temperature_c", "pain_back", "pain_leg", "pain_trend",
        "pain_controlled", "wound_redness", "wound_drainage", "wound_open", "new_weakness",
        "new_numbness", "saddle_numbness", "bladder", "bowel_incontinence",
        "headache_upright", "clear_fluid_leak", "calf_pain_swelling", "chest_pain",
        "short_of_breath", "confusion",
        # issue 16 items 7, 8 and 10
        "collapse", "very_drowsy", "face_swelling", "arm_weakness", "stiff_neck",
        "vomiting_no_fluids", "leg_pain_worse_than_before", "chills",
    }
)  # fmt: skip
# Names a {gte: ...} threshold may use instead of a number.
SETTINGS = frozenset({"fever_threshold_c"})
# Levels with their own advice text in the rule file (routine advice goes by day).
ADVICE_LEVELS = ("emergency", "urgent", "review")

_UNKNOWN_FINDING = "What you wrote needs to be checked by your care team."
# The reason code of the review net (free text the detector could not classify with confidence).
REVIEW_NET = "free_text_review"
_REVIEW_NET_MESSAGE = "A clinician will read what you wrote."
# Every key a rule may have: a typo ("soruce") must fail loading, not be ignored.
RULE_KEYS = frozenset({"id", "when", "any", "level", "message", "rationale", "source"})

Predicate = Callable[[Mapping[str, Any], Mapping[str, float]], bool]


class RuleSetError(ValueError):
    """The rule file is malformed; raised at load time, never during triage."""


class Finding(Protocol):
    """What the shared free-text detector returns (endospine.clinical.symptoms)."""

    @property
    def code(self) -> str: ...

    @property
    def level(self) -> str: ...


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class TriageResult:
    level: str
    reasons: tuple[Reason, ...]
    advice: str
    ruleset_version: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "reasons": [{"code": r.code, "message": r.message} for r in self.reasons],
            "advice": self.advice,
            "ruleset_version": self.ruleset_version,
        }


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    message: str
    rationale: str
    source: str
    matches: Predicate | None  # None: fires only from the free text


@dataclass(frozen=True)
class RuleSet:
    version: str
    rules: tuple[Rule, ...]
    advice: Mapping[str, str]
    routine_advice: tuple[tuple[int | None, str], ...]  # (until_day, text)

    def rule(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.id == code), None)


# --- Loading -----------------------------------------------------------------


def _matcher(field: str, expected: Any) -> Predicate:
    if field not in FIELDS:
        raise RuleSetError(f"unknown field '{field}'")
    if isinstance(expected, dict) and set(expected) == {"in"}:
        allowed = frozenset(expected["in"])
        return lambda a, s: a.get(field) in allowed
    if isinstance(expected, dict) and set(expected) == {"gte"}:
        bound = expected["gte"]
        if isinstance(bound, str) and bound not in SETTINGS:
            raise RuleSetError(f"unknown setting '{bound}'")
        if isinstance(bound, str):
            return lambda a, s: a.get(field) is not None and a[field] >= s[bound]
        return lambda a, s: a.get(field) is not None and a[field] >= bound
    if isinstance(expected, dict):
        raise RuleSetError(f"field '{field}': use a literal, {{in: [...]}} or {{gte: ...}}")
    # `is` for booleans so that 1 never matches true (nor 0 false).
    if isinstance(expected, bool):
        return lambda a, s: a.get(field) is expected
    return lambda a, s: a.get(field) is not None and a.get(field) == expected


def _condition(spec: Any) -> Predicate:
    if not isinstance(spec, dict) or not spec:
        raise RuleSetError("a condition is a non-empty mapping")
    if set(spec) == {"any"}:
        parts = [_condition(part) for part in spec["any"]]
        return lambda a, s: any(p(a, s) for p in parts)
    # Fields and an `any: [...]` may sit side by side: all fields hold AND one of `any`.
    checks = [_matcher(field, expected) for field, expected in spec.items() if field != "any"]
    if "any" in spec:
        checks.append(_condition({"any": spec["any"]}))
    return lambda a, s: all(c(a, s) for c in checks)


def _rule(raw: Mapping[str, Any]) -> Rule:
    if not isinstance(raw, dict):
        raise RuleSetError("each rule is a mapping")
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise RuleSetError(f"rule {raw.get('id', '?')}: unknown key(s) {sorted(unknown)}")
    for key in ("id", "level", "message", "rationale", "source"):
        if not raw.get(key) or not isinstance(raw[key], str):
            raise RuleSetError(f"rule {raw.get('id', '?')}: '{key}' is required (text)")
    if raw["level"] not in ("review", "urgent", "emergency"):
        raise RuleSetError(f"rule {raw['id']}: level must be review, urgent or emergency")
    spec = raw.get("when")
    if "any" in raw:
        spec = {"any": raw["any"]}
    return Rule(
        id=raw["id"],
        level=raw["level"],
        message=raw["message"].strip(),
        rationale=raw["rationale"].strip(),
        source=raw["source"].strip(),
        matches=_condition(spec) if spec is not None else None,
    )


def ruleset_from_dict(data: Any) -> RuleSet:
    if not isinstance(data, dict):
        raise RuleSetError("the rule file is a mapping with version, advice and rules")
    if not data.get("version"):
        raise RuleSetError("'version' is required")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RuleSetError("'rules' must be a non-empty list")
    rules = tuple(_rule(raw) for raw in raw_rules)
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise RuleSetError("rule ids must be unique")
    advice = data.get("advice")
    if not isinstance(advice, dict):
        raise RuleSetError("'advice' is required")
    for key in ADVICE_LEVELS:
        if not isinstance(advice.get(key), str) or not advice[key].strip():
            raise RuleSetError(f"advice '{key}' is required (text)")
    items = advice.get("routine")
    if not isinstance(items, list) or not items:
        raise RuleSetError("advice 'routine' must be a non-empty list")
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise RuleSetError("each routine advice needs a 'text'")
    routine = tuple((item.get("until_day"), item["text"].strip()) for item in items)
    return RuleSet(
        version=str(data["version"]),
        rules=rules,
        advice={k: advice[k].strip() for k in ADVICE_LEVELS},
        routine_advice=routine,
    )


def load_ruleset(path: Path) -> RuleSet:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleSetError(f"cannot read {path.name}: {exc}") from exc
    return ruleset_from_dict(data)


# --- Evaluating --------------------------------------------------------------


def _routine_advice(ruleset: RuleSet, days: int | None) -> str:
    for until_day, text in ruleset.routine_advice:
        if until_day is None or (days is not None and days <= until_day):
            return text
    return ruleset.routine_advice[-1][1]


def _advice(
    ruleset: RuleSet, level: str, answers: Mapping[str, Any], contacts: Mapping[str, str]
) -> str:
    if level == "routine":
        return _routine_advice(ruleset, answers.get("days_since_surgery"))
    return ruleset.advice[level].format_map(contacts)


def evaluate(
    answers: Mapping[str, Any],
    ruleset: RuleSet,
    *,
    fever_threshold_c: float,
    findings: Iterable[Finding] = (),
    needs_review: bool = False,
    emergency_number: str = "the emergency number",
    care_team_phone: str = "your care team's number",
    review_hours: int = 4,
    review_tracked: bool = True,
) -> TriageResult:
    """Triage one check-in. `findings` come from the free-text detector; `needs_review` from
    its review net (endospine.clinical.review): free text it could not read with confidence
    raises a routine result to review, never anything else. When nothing stores the result
    (`review_tracked` false: the public evaluation), no clinician will read it, so a review
    result gets the urgent advice (contact the care team yourself)."""
    thresholds = {"fever_threshold_c": fever_threshold_c}
    level = "routine"
    reasons: dict[str, Reason] = {}
    for rule in ruleset.rules:
        if rule.matches is not None and rule.matches(answers, thresholds):
            reasons[rule.id] = Reason(rule.id, rule.message)
            level = max(level, rule.level, key=_RANK.__getitem__)
    for finding in findings:
        known = ruleset.rule(finding.code)
        # An unknown level is read as urgent: when unsure, escalate.
        reported = finding.level if finding.level in _RANK else "urgent"
        # A finding never lowers anything; a rule's level can raise the finding's.
        found_level = max(reported, known.level if known else "routine", key=_RANK.__getitem__)
        level = max(level, found_level, key=_RANK.__getitem__)
        if finding.code not in reasons:
            message = known.message if known else _UNKNOWN_FINDING
            reasons[finding.code] = Reason(finding.code, message)
    if needs_review and level == "routine":
        level = "review"
        reasons[REVIEW_NET] = Reason(REVIEW_NET, _REVIEW_NET_MESSAGE)
    contacts = {
        "emergency_number": emergency_number,
        "care_team_phone": care_team_phone,
        "review_hours": str(review_hours),
    }
    advice_level = "urgent" if level == "review" and not review_tracked else level
    return TriageResult(
        level=level,
        reasons=tuple(reasons.values()),
        advice=_advice(ruleset, advice_level, answers, contacts),
        ruleset_version=ruleset.version,
    )
