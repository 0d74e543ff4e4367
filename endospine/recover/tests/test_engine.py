"""Triage vignettes, case by case, against the shipped rule file (no database).

Each vignette is a short made-up check-in with the level a clinician would
expect. Free-text vignettes live in test_triage_free_text.py (they need the
shared detector).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from endospine.recover.engine import RuleSetError, evaluate, load_ruleset, ruleset_from_dict

RULES = Path(__file__).resolve().parents[3] / "content" / "rules" / "triage.yaml"
RULESET = load_ruleset(RULES)
CALM: dict[str, Any] = {
    "days_since_surgery": 2, "temperature_c": 36.9, "pain_back": 3, "pain_leg": 2,
    "pain_trend": "better", "pain_controlled": True, "wound_redness": "none",
    "wound_drainage": "none", "wound_open": False, "new_weakness": False,
    "new_numbness": False, "saddle_numbness": False, "bladder": "normal",
    "bowel_incontinence": False, "headache_upright": False, "clear_fluid_leak": False,
    "calf_pain_swelling": False, "chest_pain": False, "short_of_breath": False,
    "confusion": False,
}  # fmt: skip


def triage(answers: Mapping[str, Any], fever: float = 38.0, **kw: Any) -> Any:
    return evaluate(
        answers,
        RULESET,
        fever_threshold_c=fever,
        emergency_number="999",
        care_team_phone="+44 20 0000",
        **kw,
    )


def codes(result: Any) -> set[str]:
    return {r.code for r in result.reasons}


# (name, changes to a calm check-in, expected level, expected reason codes)
VIGNETTES: list[tuple[str, dict[str, Any], str, set[str]]] = [
    ("calm day 2", {}, "routine", set()),
    ("chest pain", {"chest_pain": True}, "emergency", {"chest_pain"}),
    ("breathless", {"short_of_breath": True}, "emergency", {"short_of_breath"}),
    ("confused", {"confusion": True}, "emergency", {"confusion"}),
    ("saddle numbness", {"saddle_numbness": True}, "emergency", {"saddle_numbness"}),
    ("cannot pass urine", {"bladder": "retention"}, "emergency", {"bladder_retention"}),
    ("bladder leak", {"bladder": "incontinence"}, "emergency", {"bladder_incontinence"}),
    ("bowel leak", {"bowel_incontinence": True}, "emergency", {"bowel_incontinence"}),
    ("new weakness", {"new_weakness": True}, "emergency", {"new_weakness"}),
    ("fever at threshold", {"temperature_c": 38.0}, "urgent", {"fever"}),
    ("fever above", {"temperature_c": 39.4}, "urgent", {"fever"}),
    ("just below threshold", {"temperature_c": 37.9}, "routine", set()),
    ("pus", {"wound_drainage": "pus"}, "urgent", {"wound_pus"}),
    ("cloudy drainage", {"wound_drainage": "cloudy"}, "urgent", {"wound_pus"}),
    ("clear drainage", {"wound_drainage": "clear"}, "urgent", {"clear_fluid_leak"}),
    ("bloody drainage alone", {"wound_drainage": "bloody"}, "routine", set()),
    ("clear fluid leak", {"clear_fluid_leak": True}, "urgent", {"clear_fluid_leak"}),
    (
        "clear leak both ways",
        {"clear_fluid_leak": True, "wound_drainage": "clear"},
        "urgent",
        {"clear_fluid_leak"},
    ),
    ("spreading redness", {"wound_redness": "spreading"}, "urgent", {"wound_redness_spreading"}),
    ("mild redness", {"wound_redness": "mild"}, "routine", set()),
    ("wound open", {"wound_open": True}, "urgent", {"wound_open"}),
    ("upright headache", {"headache_upright": True}, "urgent", {"headache_upright"}),
    ("calf", {"calf_pain_swelling": True}, "urgent", {"calf_pain_swelling"}),
    (
        "calf and breathless",
        {"calf_pain_swelling": True, "short_of_breath": True},
        "emergency",
        {"calf_pain_swelling", "short_of_breath"},
    ),
    ("pain uncontrolled", {"pain_controlled": False}, "urgent", {"pain_uncontrolled"}),
    ("back pain 8", {"pain_back": 8}, "urgent", {"pain_severe"}),
    ("leg pain 10", {"pain_leg": 10}, "urgent", {"pain_severe"}),
    ("leg pain 7 worse", {"pain_leg": 7, "pain_trend": "worse"}, "urgent", {"pain_worsening"}),
    ("leg pain 6 worse", {"pain_leg": 6, "pain_trend": "worse"}, "routine", set()),
    (
        "leg pain 9 worse",
        {"pain_leg": 9, "pain_trend": "worse"},
        "urgent",
        {"pain_severe", "pain_worsening"},
    ),
    ("new numbness", {"new_numbness": True}, "urgent", {"new_numbness"}),
    (
        "numbness plus saddle",
        {"new_numbness": True, "saddle_numbness": True},
        "emergency",
        {"new_numbness", "saddle_numbness"},
    ),
    (
        "fever and pus",
        {"temperature_c": 38.6, "wound_drainage": "pus"},
        "urgent",
        {"fever", "wound_pus"},
    ),
    (
        "fever and retention",
        {"temperature_c": 38.6, "bladder": "retention"},
        "emergency",
        {"fever", "bladder_retention"},
    ),
    (
        "leak and headache",
        {"clear_fluid_leak": True, "headache_upright": True},
        "urgent",
        {"clear_fluid_leak", "headache_upright"},
    ),
    (
        "cauda equina triad",
        {"saddle_numbness": True, "bladder": "retention", "new_weakness": True},
        "emergency",
        {"saddle_numbness", "bladder_retention", "new_weakness"},
    ),
    (
        "everything wrong",
        {"chest_pain": True, "temperature_c": 40.0, "wound_open": True, "pain_leg": 10},
        "emergency",
        {"chest_pain", "fever", "wound_open", "pain_severe"},
    ),
    ("day 42 calm", {"days_since_surgery": 42}, "routine", set()),
    ("day 0 calm", {"days_since_surgery": 0}, "routine", set()),
    ("pain 0", {"pain_back": 0, "pain_leg": 0}, "routine", set()),
    ("hypothermic reading", {"temperature_c": 34.0}, "routine", set()),
]


@pytest.mark.parametrize(
    ("name", "changes", "level", "expected"), VIGNETTES, ids=[v[0] for v in VIGNETTES]
)
def test_vignette(name: str, changes: dict[str, Any], level: str, expected: set[str]) -> None:
    result = triage({**CALM, **changes})
    assert result.level == level
    assert codes(result) == expected


@pytest.mark.parametrize(
    "field",
    [
        "chest_pain",
        "saddle_numbness",
        "new_weakness",
        "confusion",
        "short_of_breath",
        "bowel_incontinence",
    ],
)
def test_each_emergency_alone_on_an_empty_checkin(field: str) -> None:
    assert triage({field: True}).level == "emergency"


def test_nothing_reported_is_routine() -> None:
    result = triage({})
    assert (result.level, result.reasons) == ("routine", ())


@pytest.mark.parametrize(
    "field",
    ["temperature_c", "pain_back", "pain_leg", "pain_controlled", "bladder", "wound_drainage"],
)
def test_unreported_field_never_matches(field: str) -> None:
    assert triage({**CALM, field: None}).level == "routine"


def test_integer_one_is_not_true() -> None:
    # Booleans match by identity, so a sloppy client sending 1 cannot trip nor skip a rule silently.
    assert triage({"chest_pain": 1}).level == "routine"


@pytest.mark.parametrize(
    ("threshold", "temp", "level"),
    [
        (38.0, 38.0, "urgent"),
        (38.3, 38.2, "routine"),
        (38.3, 38.3, "urgent"),
        (38.6, 38.5, "routine"),
        (38.6, 38.6, "urgent"),
        (37.5, 37.6, "urgent"),
    ],
)
def test_fever_threshold_is_a_setting(threshold: float, temp: float, level: str) -> None:
    assert triage({"temperature_c": temp}, fever=threshold).level == level


@dataclass(frozen=True)
class F:
    code: str
    level: str
    evidence: str = ""


def test_finding_raises_routine_to_emergency() -> None:
    result = triage(CALM, findings=[F("chest_pain", "emergency")])
    assert result.level == "emergency"
    assert codes(result) == {"chest_pain"}


def test_finding_never_lowers() -> None:
    result = triage({**CALM, "chest_pain": True}, findings=[F("fever", "urgent")])
    assert result.level == "emergency"
    assert codes(result) == {"chest_pain", "fever"}


def test_finding_takes_the_rule_level_when_higher() -> None:
    # The detector calls it urgent; our rule set says saddle numbness is an emergency.
    assert triage({}, findings=[F("saddle_numbness", "urgent")]).level == "emergency"


def test_coughing_blood_fires_only_from_free_text() -> None:
    result = triage({}, findings=[F("coughing_blood", "emergency")])
    assert result.level == "emergency"
    assert "coughing up blood" in result.reasons[0].message


def test_unknown_finding_code_still_counts() -> None:
    result = triage({}, findings=[F("stroke_signs", "emergency")])
    assert result.level == "emergency" and codes(result) == {"stroke_signs"}


def test_duplicate_reason_listed_once() -> None:
    result = triage({"chest_pain": True}, findings=[F("chest_pain", "emergency")])
    assert [r.code for r in result.reasons] == ["chest_pain"]


def test_advice_names_the_numbers() -> None:
    assert "999" in triage({"chest_pain": True}).advice
    urgent = triage({"wound_open": True}).advice
    assert "+44 20 0000" in urgent and "999" in urgent


@pytest.mark.parametrize(
    ("day", "snippet"),
    [
        (1, "first days"),
        (3, "first days"),
        (10, "six weeks"),
        (42, "six weeks"),
        (90, "three months"),
        (None, "three months"),
    ],
)
def test_routine_advice_depends_on_the_day(day: int | None, snippet: str) -> None:
    assert snippet in triage({"days_since_surgery": day}).advice


def test_result_shape_and_version() -> None:
    out = triage({"chest_pain": True}).as_dict()
    assert set(out) == {"level", "reasons", "advice", "ruleset_version"}
    assert out["ruleset_version"] == RULESET.version
    assert set(out["reasons"][0]) == {"code", "message"}


def test_every_rule_has_a_source_and_rationale() -> None:
    assert all(r.source and r.rationale and r.message for r in RULESET.rules)


@pytest.mark.parametrize(
    "bad",
    [
        {
            "version": "x",
            "advice": {},
            "rules": [
                {
                    "id": "a",
                    "level": "high",
                    "message": "m",
                    "rationale": "r",
                    "source": "s",
                    "when": {},
                }
            ],
        },
        {
            "version": "x",
            "rules": [
                {
                    "id": "a",
                    "level": "urgent",
                    "message": "m",
                    "rationale": "r",
                    "source": "s",
                    "when": {"no_such_field": True},
                }
            ],
        },
        {
            "version": "x",
            "rules": [
                {
                    "id": "a",
                    "level": "urgent",
                    "message": "m",
                    "rationale": "r",
                    "source": "s",
                    "when": {"temperature_c": {"gte": "nope"}},
                }
            ],
        },
        {
            "version": "x",
            "rules": [
                {
                    "id": "a",
                    "level": "urgent",
                    "message": "m",
                    "rationale": "r",
                    "when": {"chest_pain": True},
                }
            ],
        },
    ],
)
def test_malformed_rules_are_refused_at_load(bad: dict[str, Any]) -> None:
    with pytest.raises((RuleSetError, KeyError)):
        ruleset_from_dict(bad)


def test_finding_with_an_unknown_level_counts_as_urgent() -> None:
    assert triage({}, findings=[F("something_new", "serious")]).level == "urgent"
