"""Issue 16 items 7, 8 and 10: the missing warning signs, worsening pain and chills,
on both sides of each threshold (pure: no database)."""

from typing import Any

import pytest

from endospine.recover.engine import RuleSetError, ruleset_from_dict
from endospine.recover.tests.test_engine import CALM, codes, triage

# (name, changes to a calm check-in, expected level, expected reason codes)
VIGNETTES: list[tuple[str, dict[str, Any], str, set[str]]] = [
    ("fainted", {"collapse": True}, "emergency", {"collapse"}),
    ("did not faint", {"collapse": False}, "routine", set()),
    ("very drowsy", {"very_drowsy": True}, "emergency", {"opioid_toxicity"}),
    ("not drowsy", {"very_drowsy": False}, "routine", set()),
    ("swollen face", {"face_swelling": True}, "emergency", {"allergic_reaction"}),
    ("no swelling", {"face_swelling": False}, "routine", set()),
    ("arm weakness", {"arm_weakness": True}, "emergency", {"arm_weakness"}),
    ("no arm weakness", {"arm_weakness": False}, "routine", set()),
    ("stiff neck", {"stiff_neck": True}, "emergency", {"meningism"}),
    ("no stiff neck", {"stiff_neck": False}, "routine", set()),
    (
        "bleeding that will not stop",
        {"wound_drainage": "bleeding_not_stopping"},
        "emergency",
        {"bleeding_uncontrolled", "dressing_soaked"},
    ),
    ("dressing soaked", {"wound_drainage": "soaked"}, "urgent", {"dressing_soaked"}),
    ("a little blood on day 2", {"wound_drainage": "bloody"}, "routine", set()),
    (
        "a little blood on day 5",
        {"wound_drainage": "bloody", "days_since_surgery": 5},
        "routine",
        set(),
    ),
    (
        "still bleeding on day 6",
        {"wound_drainage": "bloody", "days_since_surgery": 6},
        "urgent",
        {"wound_drainage_after_day_5"},
    ),
    ("vomiting, no fluids", {"vomiting_no_fluids": True}, "urgent", {"vomiting_no_fluids"}),
    ("keeping fluids down", {"vomiting_no_fluids": False}, "routine", set()),
    ("back 7 worse", {"pain_back": 7, "pain_trend": "worse"}, "urgent", {"pain_worsening"}),
    ("back 6 worse", {"pain_back": 6, "pain_trend": "worse"}, "routine", set()),
    ("back 7 same", {"pain_back": 7, "pain_trend": "same"}, "routine", set()),
    ("leg 7 better", {"pain_leg": 7, "pain_trend": "better"}, "routine", set()),
    (
        "worse, pain not given",
        {"pain_trend": "worse", "pain_back": None, "pain_leg": None},
        "routine",
        set(),
    ),
    (
        "leg worse than before",
        {"leg_pain_worse_than_before": True},
        "urgent",
        {"leg_pain_worse_than_before"},
    ),
    ("leg not worse than before", {"leg_pain_worse_than_before": False}, "routine", set()),
    ("chills, normal temperature", {"chills": True, "temperature_c": 36.8}, "urgent", {"chills"}),
    ("chills, no temperature", {"chills": True, "temperature_c": None}, "urgent", {"chills"}),
    ("no chills", {"chills": False}, "routine", set()),
    (
        "chills and fever",
        {"chills": True, "temperature_c": 38.4},
        "urgent",
        {"chills", "fever"},
    ),
]


@pytest.mark.parametrize(
    ("changes", "level", "expected"),
    [(c, lv, e) for _, c, lv, e in VIGNETTES],
    ids=[v[0] for v in VIGNETTES],
)
def test_vignette(changes: dict[str, Any], level: str, expected: set[str]) -> None:
    answers = {k: v for k, v in (CALM | changes).items() if v is not None}
    result = triage(answers)
    assert (result.level, codes(result)) == (level, expected)


def test_shared_rule_ids_are_in_the_rule_file() -> None:
    from endospine.recover.tests.test_engine import RULESET

    shared = {
        "collapse", "opioid_toxicity", "allergic_reaction", "arm_weakness", "meningism",
        "bleeding_uncontrolled", "dressing_soaked", "vomiting_no_fluids", "pain_worsening",
        "leg_pain_worse_than_before", "chills",
    }  # fmt: skip
    assert shared <= {r.id for r in RULESET.rules}


def test_a_field_and_any_side_by_side_both_must_hold() -> None:
    rules = ruleset_from_dict(
        {
            "version": "t",
            "advice": {"emergency": "e", "urgent": "u", "review": "v", "routine": [{"text": "r"}]},
            "rules": [
                {
                    "id": "x",
                    "level": "urgent",
                    "message": "m",
                    "rationale": "r",
                    "source": "s",
                    "when": {"pain_trend": "worse", "any": [{"pain_leg": {"gte": 7}}]},
                }
            ],
        }
    )
    assert rules.rules[0].matches is not None
    assert rules.rules[0].matches({"pain_trend": "worse", "pain_leg": 7}, {})
    assert not rules.rules[0].matches({"pain_trend": "same", "pain_leg": 7}, {})
    assert not rules.rules[0].matches({"pain_trend": "worse", "pain_leg": 6}, {})
    with pytest.raises(RuleSetError):
        ruleset_from_dict(
            {
                "version": "t",
                "advice": {
                    "emergency": "e",
                    "urgent": "u",
                    "review": "v",
                    "routine": [{"text": "r"}],
                },
                "rules": [
                    {
                        "id": "x",
                        "level": "urgent",
                        "message": "m",
                        "rationale": "r",
                        "source": "s",
                        "when": {"pain_trend": "worse", "any": [{"pain_lg": 7}]},
                    }
                ],
            }
        )
