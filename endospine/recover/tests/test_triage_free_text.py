"""Vignettes where the patient's own words change the triage (shared detector, no database).

The free text can only raise the level: "no fever" must not clear a measured
fever, and a calm form with "I can't pee" must become an emergency.
"""

from typing import Any

import pytest

from endospine.recover.triage import triage

CALM: dict[str, Any] = {
    "days_since_surgery": 3,
    "pain_leg": 2,
    "pain_back": 2,
    "pain_controlled": True,
    "bladder": "normal",
    "temperature_c": 36.8,
}


def run(text: str, **changes: Any) -> Any:
    return triage(
        {**CALM, **changes, "free_text": text},
        emergency_number="112",
        care_team_phone="+49 30 0000",
    )


# (free text, changes to the calm form, expected level, a code that must be among the reasons)
VIGNETTES: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("I can't pee since this morning", {}, "emergency", "bladder_retention"),
    ("I'm coughing up blood", {}, "emergency", "coughing_blood"),
    ("my bottom feels numb when I wipe", {}, "emergency", "saddle_numbness"),
    ("numb around my bottom", {}, "emergency", "saddle_numbness"),
    ("I have a crushing pain in my chest", {}, "emergency", "chest_pain"),
    ("my temperature was 101.5F last night", {}, "urgent", "fever"),
    ("temp 38.4 C this morning", {}, "urgent", "fever"),
    ("temperature 100.2 F", {}, "routine", None),  # 37.9 C, under the 38.0 threshold
    ("no fever, feeling fine", {}, "routine", None),
    ("no fever", {"temperature_c": 38.5}, "urgent", "fever"),  # words never lower a measurement
    ("I feel great, nothing to report", {"chest_pain": True}, "emergency", "chest_pain"),
    ("the wound is leaking clear fluid", {}, "urgent", "clear_fluid_leak"),
    ("no fever but my calf is swollen", {}, "urgent", "calf_pain_swelling"),
    ("I fell in the bathroom", {}, "urgent", "fall"),
    ("feeling fine, a bit sore", {}, "routine", None),
    ("", {"wound_open": True}, "urgent", "wound_open"),
    ("I cannot pee", {"wound_open": True}, "emergency", "bladder_retention"),
    ("temp 39 C and I can't pee", {}, "emergency", "bladder_retention"),
]


@pytest.mark.parametrize(
    ("text", "changes", "level", "code"), VIGNETTES, ids=[v[0] or "empty" for v in VIGNETTES]
)
def test_free_text_vignette(
    text: str, changes: dict[str, Any], level: str, code: str | None
) -> None:
    result = run(text, **changes)
    assert result.level == level
    if code:
        assert code in {r.code for r in result.reasons}
    else:
        assert result.reasons == ()


def test_free_text_reasons_use_our_patient_message() -> None:
    result = run("I can't pee")
    assert result.reasons[0].message.startswith("Not being able to pass urine")
    assert "112" in result.advice
