"""Issue 16 item 12: the discharge sheet's medicines section, driving, clots, dural
tear with meningitis signs, arm warnings after a neck operation, passing urine."""

from typing import Any

from endospine.operate import instructions
from endospine.operate.tests.test_instructions import facts, template, texts  # noqa: F401


def test_medicines_section(template: dict[str, Any]) -> None:  # noqa: F811
    text = texts(instructions.build(template, facts()), "medicines")
    assert "pain relief" in text
    assert "very sleepy" in text and "call 999" in text  # opioid drowsiness
    assert "constipation" in text
    assert "Restart blood thinners" in text and "+44 20 7946 0000" in text
    assert "diabetes" in text


def test_no_driving_for_24_hours_and_clot_prevention(template: dict[str, Any]) -> None:  # noqa: F811
    text = texts(instructions.build(template, facts()), "activity")
    assert "Do not drive for at least 24 hours after an anaesthetic" in text
    assert "blood clots" in text and "walk" in text


def test_same_day_discharge_checks_passing_urine(template: dict[str, Any]) -> None:  # noqa: F811
    same_day = texts(instructions.build(template, facts(same_day=True)), "activity")
    staying = texts(instructions.build(template, facts(same_day=False)), "activity")
    assert "passed urine" in same_day and "passed urine" not in staying


def test_dural_tear_gives_meningitis_signs(template: dict[str, Any]) -> None:  # noqa: F811
    torn = texts(instructions.build(template, facts(events=["dural_tear"])), "urgent")
    plain = texts(instructions.build(template, facts(events=[])), "urgent")
    assert "meningitis" in torn and "stiff neck" in torn and "lying-flat" in torn
    assert "meningitis" not in plain


def test_arm_warnings_after_a_neck_operation_only(template: dict[str, Any]) -> None:  # noqa: F811
    neck = texts(instructions.build(template, facts(levels=["C5-C6"])), "emergency")
    back = texts(instructions.build(template, facts(levels=["L4-L5"])), "emergency")
    assert "After a neck operation" in neck and "arm or hand" in neck
    assert "After a neck operation" not in back
