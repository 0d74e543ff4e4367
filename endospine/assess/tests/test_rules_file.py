"""Invalid rule files are rejected at load with a message naming the problem."""

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from endospine.assess.conditions import ConditionError, compile_condition
from endospine.assess.engine import evaluate_data
from endospine.assess.rules import (
    DEFAULT_RULES_PATH,
    RuleFileError,
    load_ruleset,
    parse_ruleset,
    parse_ruleset_text,
)
from endospine.assess.tests.vignettes import BASE

DEFAULT: dict[str, Any] = yaml.safe_load(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))


def broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEFAULT)
    change(data)
    return data


def rejection(data: object) -> str:
    with pytest.raises(RuleFileError) as caught:
        parse_ruleset(data)
    return str(caught.value)


def set_condition(index: int, text: object, section: str = "recommendation_rules") -> Any:
    return lambda d: d[section][index].__setitem__("condition", text)


def test_default_file_loads_with_a_version_and_sources() -> None:
    rules = load_ruleset()
    assert rules.version == "1.1.0"
    assert len(rules.recommendation_rules) == 9 and len(rules.approach_rules) == 8
    assert all(rule.reference and rule.rationale for rule in rules.rules)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (set_condition(0, 'motor_deficit == "progresive"'), "'progresive' is not a possible value"),
        (set_condition(0, "cauda_equina"), "unknown name 'cauda_equina'"),
        (set_condition(0, "leg_pain"), "is not yes/no"),
        (set_condition(0, 'motor_deficit >= "mild"'), "needs numbers on both sides"),
        (set_condition(0, "leg_pain == True"), "different kinds"),
        (set_condition(0, "1 < 2"), "compares two constants"),
        (set_condition(0, "0 < leg_pain < 4"), "one pair at a time"),
        (set_condition(0, "leg_pain <"), "cannot read"),
        (set_condition(0, ""), "condition"),
        (set_condition(0, True), "condition"),
        (set_condition(0, "__import__('os').system('true')"), "is not allowed"),
        (set_condition(0, "leg_pain.real > 1"), "only fact names"),
        (set_condition(0, "leg_pain + 1 > 4"), "only fact names"),
        (set_condition(0, 'finding_zone in "foraminal"'), "must be a list"),
        (set_condition(0, 'finding_zone in ["lateral"]'), "'lateral' is not a possible value"),
        (set_condition(0, "leg_pain > 3 and otherwise"), "must stand alone"),
        (set_condition(2, "otherwise"), "can never apply"),
        (set_condition(8, "leg_pain > 3"), "last rule must have the condition 'otherwise'"),
        (set_condition(5, "otherwise", "approach_rules"), "can never apply"),
        (lambda d: d["recommendation_rules"][1].__setitem__("id", "candidate"), "used twice"),
        (lambda d: d["recommendation_rules"][1].pop("reference"), "reference"),
        (lambda d: d["recommendation_rules"][1].pop("rationale"), "rationale"),
        (
            lambda d: d["recommendation_rules"][1]["outcome"].__setitem__("urgency", "soon"),
            "urgency",
        ),
        (
            lambda d: d["recommendation_rules"][1]["outcome"].__setitem__("approach", "x"),
            "approach",
        ),
        (
            lambda d: d["approach_rules"][0]["outcome"].__setitem__("approach", "lateral"),
            "approach",
        ),
        (lambda d: d.pop("version"), "version"),
        (lambda d: d.__setitem__("version", 1), "version"),
        (lambda d: d.__setitem__("approach_rules", []), "approach_rules"),
        (lambda d: d["recommendations"].pop("other_surgery"), "'other_surgery' needs"),
        (lambda d: d.__setitem__("extra_section", {}), "extra_section"),
        (
            lambda d: d["urgency_floors"][0].__setitem__("condition", "weakness"),
            "urgency floor 'severe_weakness_is_never_elective'",
        ),
        (lambda d: d["urgency_floors"][0].__setitem__("urgency", "soon"), "urgency"),
    ],
)
def test_invalid_rule_file_is_rejected_with_a_clear_message(change: Any, expected: str) -> None:
    assert expected in rejection(broken(change))


def test_message_names_the_rule() -> None:
    message = rejection(broken(set_condition(5, "leg_pian < 4")))
    assert "recommendation rule 6 ('axial_back_pain')" in message


def test_not_yaml_or_not_a_mapping_is_rejected() -> None:
    with pytest.raises(RuleFileError, match="not valid YAML"):
        parse_ruleset_text("version: [unclosed")
    with pytest.raises(RuleFileError):
        parse_ruleset_text("- just a list")


def test_missing_file_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="cannot read"):
        load_ruleset(tmp_path / "nope.yaml")


def test_conditions_are_never_evaluated_as_python() -> None:
    for text in ["open('/etc/passwd')", "[x for x in ()]", "lambda: 1", "leg_pain if True else 1"]:
        with pytest.raises(ConditionError):
            compile_condition(text)


def test_an_edited_threshold_changes_the_outcome() -> None:
    # Pins that the engine reads the file rather than hard-coding the defaults.
    data = broken(set_condition(4, "scoliosis_cobb >= 10"))
    data["version"] = "test"
    rules = parse_ruleset(data)
    result = evaluate_data(BASE | {"scoliosis_cobb": 15}, rules)
    assert (result.recommendation, result.ruleset_version) == ("other_surgery", "test")


@pytest.mark.parametrize(
    ("text", "facts", "expected"),
    [
        ('motor_deficit in ["none", "mild"]', {"motor_deficit": "mild"}, True),
        ('motor_deficit not in ["none", "mild"]', {"motor_deficit": "mild"}, False),
        ("not cauda_equina_signs", {"cauda_equina_signs": False}, True),
        ("leg_pain < back_pain", {"leg_pain": 3, "back_pain": 3}, False),
        ('finding_zone == "central"', {"finding_zone": None}, False),
        ("otherwise", {}, True),
    ],
)
def test_condition_language(text: str, facts: dict[str, Any], expected: bool) -> None:
    assert compile_condition(text)(facts) is expected


def test_system_check_reports_a_broken_rule_file(tmp_path: Path, settings: Any) -> None:
    from endospine.assess.checks import rule_file_is_valid

    assert rule_file_is_valid() == []
    bad = tmp_path / "rules.yaml"
    bad.write_text(DEFAULT_RULES_PATH.read_text().replace("red_flag_count >= 1", "red_flag >= 1"))
    settings.ENDOSPINE_ASSESSMENT_RULES = str(bad)
    errors = rule_file_is_valid()
    assert len(errors) == 1 and "unknown name 'red_flag'" in errors[0].msg
