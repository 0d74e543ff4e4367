"""Every field of the operative record and the discharge, case by case, without the database."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from endospine.operate.validation import RANGES, clean_discharge, clean_operative

TODAY = date(2026, 11, 20)


def valid_record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "operation_date": "2026-11-19",
        "surgeons": ["Dr Sam Surgeon", "Dr Ana Assistant"],
        "anaesthesia": "local_sedation",
        "technique": "uniportal_full_endoscopic",
        "approach": "transforaminal",
        "approach_detail": "",
        "levels": ["L4-L5"],
        "side": "left",
        "foraminoplasty": "on",
        "endoscope_outer_diameter_mm": "6.9",
        "endoscope_working_channel_mm": "4.1",
        "endoscope_viewing_angle_deg": "30",
        "irrigation_fluid": "normal_saline",
        "irrigation_mode": "pump",
        "pump_pressure_mmhg": "40",
        "incision_length_mm": "8",
        "skin_to_skin_minutes": "75",
        "fluoroscopy_seconds": "42",
        "fluoroscopy_dose_mgy": "",
        "estimated_blood_loss_ml": "10",
        "events": ["none"],
        "specimen": "histology",
        "closure": "suture",
        "notes": "Sequestered fragment removed.",
    }
    record.update(changes)
    return record


def errors_for(**changes: Any) -> dict[str, str]:
    _, errors = clean_operative(valid_record(**changes), today=TODAY)
    return dict(errors)


def test_a_complete_record_is_clean_and_typed() -> None:
    data, errors = clean_operative(valid_record(), today=TODAY)
    assert errors == []
    assert data["operation_date"] == date(2026, 11, 19)
    assert data["incision_length_mm"] == 8
    assert data["endoscope_outer_diameter_mm"] == 6.9
    assert data["foraminoplasty"] is True
    assert data["levels"] == ["L4-L5"]
    assert data["events"] == ["none"]


def test_typed_values_from_the_api_are_accepted() -> None:
    record = valid_record(
        operation_date=date(2026, 11, 19),
        incision_length_mm=8,
        foraminoplasty=False,
        endoscope_outer_diameter_mm=6.9,
    )
    data, errors = clean_operative(record, today=TODAY)
    assert errors == []
    assert data["foraminoplasty"] is False


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [
        ("incision_length_mm", 3, 60),
        ("skin_to_skin_minutes", 5, 600),
        ("endoscope_outer_diameter_mm", 2, 25),
        ("endoscope_viewing_angle_deg", 0, 90),
        ("pump_pressure_mmhg", 10, 100),
        ("fluoroscopy_seconds", 0, 3600),
        ("estimated_blood_loss_ml", 0, 5000),
    ],
)
def test_numeric_bounds_are_inclusive_and_enforced(field: str, low: int, high: int) -> None:
    # Lower the channel so diameter bounds are not masked by the channel rule.
    base = {"endoscope_working_channel_mm": "1"}
    assert field not in errors_for(**base, **{field: str(low)})
    assert field not in errors_for(**base, **{field: str(high)})
    below = errors_for(**base, **{field: str(low - 1)})
    above = errors_for(**base, **{field: str(high + 1)})
    assert "must be between" in below[field] and f"you entered {low - 1}" in below[field]
    assert "must be between" in above[field]


def test_incision_message_names_range_and_unit() -> None:
    assert errors_for(incision_length_mm="75")["incision_length_mm"] == (
        "Incision length must be between 3 and 60 mm (you entered 75)."
    )


def test_duration_outside_range() -> None:
    assert (
        "between 5 and 600 minutes" in errors_for(skin_to_skin_minutes="4")["skin_to_skin_minutes"]
    )


@pytest.mark.parametrize("value", ["abc", "1e", "nan", "--3"])
def test_non_numbers_are_refused(value: str) -> None:
    assert "must be a number" in errors_for(incision_length_mm=value)["incision_length_mm"]


def test_whole_number_fields_refuse_fractions() -> None:
    assert "whole number" in errors_for(skin_to_skin_minutes="60.5")["skin_to_skin_minutes"]


def test_required_numbers() -> None:
    errors = errors_for(
        incision_length_mm="", skin_to_skin_minutes=None, estimated_blood_loss_ml=""
    )
    assert errors["incision_length_mm"] == "Enter the incision length (mm)."
    assert "skin_to_skin_minutes" in errors and "estimated_blood_loss_ml" in errors


def test_working_channel_must_be_narrower_than_the_scope() -> None:
    errors = errors_for(endoscope_outer_diameter_mm="4", endoscope_working_channel_mm="4")
    assert "narrower" in errors["endoscope_working_channel_mm"]


def test_endoscopic_technique_requires_endoscope_sizes() -> None:
    errors = errors_for(endoscope_outer_diameter_mm="", endoscope_viewing_angle_deg="")
    assert "endoscope_outer_diameter_mm" in errors and "endoscope_viewing_angle_deg" in errors


def test_open_surgery_takes_no_endoscope_and_no_irrigation_needed() -> None:
    open_record = {
        "technique": "open",
        "endoscope_outer_diameter_mm": "",
        "endoscope_working_channel_mm": "",
        "endoscope_viewing_angle_deg": "",
        "irrigation_fluid": "none",
        "irrigation_mode": "none",
        "pump_pressure_mmhg": "",
        "incision_length_mm": "30",
    }
    assert errors_for(**open_record) == {}
    assert (
        "no endoscope"
        in errors_for(**{**open_record, "endoscope_viewing_angle_deg": "30"})["technique"]
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("anaesthesia", "hypnosis"),
        ("technique", "laser"),
        ("approach", "anterior"),
        ("side", "up"),
        ("irrigation_fluid", "water"),
        ("irrigation_mode", "syringe"),
        ("specimen", "jar"),
        ("closure", "tape"),
    ],
)
def test_unknown_choices_are_refused_with_the_allowed_list(field: str, value: str) -> None:
    message = errors_for(**{field: value})[field]
    assert f"'{value}' is not a known" in message and "use one of" in message


@pytest.mark.parametrize(
    "field", ["anaesthesia", "technique", "approach", "side", "specimen", "closure"]
)
def test_choices_are_required(field: str) -> None:
    assert errors_for(**{field: ""})[field].startswith("Choose the")


def test_other_approach_needs_a_description() -> None:
    assert "approach_detail" in errors_for(approach="other")
    assert errors_for(approach="other", approach_detail="Extraforaminal") == {}


def test_operation_date_rules() -> None:
    assert "future" in errors_for(operation_date="2026-11-21")["operation_date"]
    assert "check the year" in errors_for(operation_date="2024-11-19")["operation_date"]
    assert "YYYY-MM-DD" in errors_for(operation_date="19/11/2026")["operation_date"]
    assert "operation_date" in errors_for(operation_date="")


def test_surgeons_rules() -> None:
    assert "at least one" in errors_for(surgeons=[])["surgeons"]
    assert "at most 5" in errors_for(surgeons=[f"Dr {i}" for i in range(6)])["surgeons"]
    assert "under 100" in errors_for(surgeons=["x" * 101])["surgeons"]
    data, _ = clean_operative(valid_record(surgeons="Dr A, Dr B"), today=TODAY)
    assert data["surgeons"] == ["Dr A", "Dr B"]


def test_levels_rules() -> None:
    assert "at least one" in errors_for(levels=[])["levels"]
    assert "Unknown level" in errors_for(levels=["L4-L6"])["levels"]
    assert "only once" in errors_for(levels=["L4-L5", "l4-l5"])["levels"]
    assert "at most 4" in errors_for(levels=["L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"])["levels"]
    data, _ = clean_operative(valid_record(levels="l5/s1, L4-L5"), today=TODAY)
    assert data["levels"] == ["L4-L5", "L5-S1"]


def test_irrigation_rules() -> None:
    assert "Enter the pump pressure" in errors_for(pump_pressure_mmhg="")["pump_pressure_mmhg"]
    gravity = errors_for(irrigation_mode="gravity", pump_pressure_mmhg="40")
    assert "only when" in gravity["pump_pressure_mmhg"]
    assert errors_for(irrigation_mode="gravity", pump_pressure_mmhg="") == {}
    assert (
        "irrigation"
        in errors_for(irrigation_fluid="none", irrigation_mode="none", pump_pressure_mmhg="")[
            "irrigation_mode"
        ]
    )


def test_fluoroscopy_needs_time_or_dose() -> None:
    assert (
        "time or dose"
        in errors_for(fluoroscopy_seconds="", fluoroscopy_dose_mgy="")["fluoroscopy_seconds"]
    )
    assert errors_for(fluoroscopy_seconds="", fluoroscopy_dose_mgy="1.5") == {}
    assert "fluoroscopy_dose_mgy" in errors_for(fluoroscopy_dose_mgy="2001")


def test_events_rules() -> None:
    assert "or 'none'" in errors_for(events=[])["events"]
    assert "not a known event" in errors_for(events=["explosion"])["events"]
    assert "cannot be combined" in errors_for(events=["none", "dural_tear"])["events"]
    assert (
        "cannot be converted"
        in errors_for(
            events=["conversion_to_open"],
            technique="open",
            endoscope_outer_diameter_mm="",
            endoscope_working_channel_mm="",
            endoscope_viewing_angle_deg="",
        )["events"]
    )
    assert errors_for(events=["dural_tear", "bleeding_intervention"]) == {}


def test_notes_length_and_unknown_fields() -> None:
    assert "under 4000" in errors_for(notes="x" * 4001)["notes"]
    assert errors_for(incision_mm="8")["incision_mm"] == "This is not a field of the record."


def test_every_range_has_a_label_and_unit() -> None:
    for spec in RANGES.values():
        assert spec.low < spec.high and spec.unit and spec.label


NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def discharge(**changes: Any) -> tuple[dict[str, Any], dict[str, str]]:
    raw: dict[str, Any] = {
        "discharged_at": "2026-11-20T14:30:00+00:00",
        "first_walk_hours": "2.5",
        "pain_at_discharge": "3",
        "destination": "home",
        "follow_up_on": "",
    }
    raw.update(changes)
    data, errors = clean_discharge(raw, now=NOW, operation_date=date(2026, 11, 20))
    return data, dict(errors)


def test_a_valid_same_day_discharge() -> None:
    data, errors = discharge()
    assert errors == {}
    assert data["same_day"] is True
    assert data["first_walk_hours"] == 2.5
    assert data["pain_at_discharge"] == 3
    assert data["follow_up_on"] is None


def test_next_day_discharge_is_not_same_day() -> None:
    data, errors = clean_discharge(
        {
            "discharged_at": NOW,
            "first_walk_hours": 4,
            "pain_at_discharge": 2,
            "destination": "home",
        },
        now=NOW,
        operation_date=date(2026, 11, 19),
    )
    assert errors == [] and data["same_day"] is False


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"discharged_at": "2026-11-21T09:00:00+00:00"}, "discharged_at", "future"),
        ({"discharged_at": "2026-11-19T09:00:00+00:00"}, "discharged_at", "before the day"),
        ({"discharged_at": "2026-11-20T09:00:00"}, "discharged_at", "time zone"),
        ({"discharged_at": "yesterday"}, "discharged_at", "YYYY-MM-DD"),
        ({"discharged_at": ""}, "discharged_at", "Enter the discharge"),
        ({"first_walk_hours": "73"}, "first_walk_hours", "between 0 and 72 hours"),
        ({"first_walk_hours": "-1"}, "first_walk_hours", "between 0 and 72"),
        ({"pain_at_discharge": "11"}, "pain_at_discharge", "between 0 and 10"),
        ({"pain_at_discharge": "3.5"}, "pain_at_discharge", "whole number"),
        ({"destination": "moon"}, "destination", "not a known destination"),
        ({"follow_up_on": "2026-11-20"}, "follow_up_on", "after the day of discharge"),
        ({"follow_up_on": "2027-06-01"}, "follow_up_on", "within 120 days"),
        ({"same_day": "yes"}, "same_day", "not a field"),
    ],
)
def test_discharge_rules(changes: dict[str, str], field: str, fragment: str) -> None:
    _, errors = discharge(**changes)
    assert fragment in errors[field]


def test_small_clock_skew_is_tolerated() -> None:
    _, errors = discharge(discharged_at=(NOW + timedelta(minutes=5)).isoformat())
    assert errors == {}
