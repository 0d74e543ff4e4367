"""Checklist templates, case by case, without the database."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from endospine.prepare.spec import (
    TemplateError,
    due_date,
    load_dir,
    load_file,
    parse_template,
    template_for,
)

CONTENT = Path(__file__).resolve().parents[3] / "content" / "checklists"


def _item(**changes: Any) -> dict[str, Any]:
    item = {
        "code": "consent",
        "title": "Consent signed",
        "patient_text": "Your surgeon goes through the form with you.",
        "owner": "staff",
        "due_days": -1,
        "required": True,
    }
    item.update(changes)
    return item


def _template(*items: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"site": "default", "version": 1, "items": list(items) or [_item()], **top}


def _problems(data: object) -> list[str]:
    with pytest.raises(TemplateError) as caught:
        parse_template(data, "t.yaml")
    return caught.value.problems


def test_shipped_templates_load_and_cover_the_required_items() -> None:
    templates = load_dir(CONTENT)
    codes = {item.code for item in templates["default"].items}
    assert {
        "imaging_on_file",
        "medication_review",
        "fasting_instructions",
        "consent",
        "escort_home",
        "preoperative_tests",
        "baseline_proms",
    } <= codes
    medication = next(i for i in templates["default"].items if i.code == "medication_review")
    assert medication.records_stop_date and medication.owner == "staff"
    proms = next(i for i in templates["default"].items if i.code == "baseline_proms")
    assert proms.auto == "baseline_proms"


def test_shipped_fasting_text_is_filled_from_the_settings_values() -> None:
    fasting = next(
        i for i in load_dir(CONTENT)["default"].items if i.code == "fasting_instructions"
    )
    text = fasting.text_for({"food_hours": 6, "clear_fluids_hours": 2})
    assert "6 hours" in text and "2 hours" in text and "{" not in text


def test_a_site_gets_its_own_template_and_others_the_default() -> None:
    templates = load_dir(CONTENT)
    assert template_for(templates, "south").site == "south"
    assert template_for(templates, "north").site == "default"


def test_a_valid_template_parses() -> None:
    spec = parse_template(_template(_item(), _item(code="escort_home", owner="patient")))
    assert [i.code for i in spec.items] == ["consent", "escort_home"]
    assert spec.version == 1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"owner": "nurse"}, "items[0].owner: must be one of patient, staff, got 'nurse'"),
        ({"due_days": "soon"}, "items[0].due_days: must be a whole number of days"),
        ({"due_days": -400}, "items[0].due_days: must be between -365 and 30"),
        ({"due_days": True}, "items[0].due_days: must be a whole number of days"),
        ({"required": "yes"}, "items[0].required: must be true or false"),
        ({"code": "Has Spaces"}, "items[0].code: use lower-case letters"),
        ({"title": ""}, "items[0].title: required text is missing"),
        ({"patient_text": "Fast {hours} h"}, "items[0].patient_text: unknown placeholder {hours}"),
        ({"patient_text": "Fast { h"}, "items[0].patient_text: has a stray brace"),
        ({"auto": "magic"}, "items[0].auto: must be one of baseline_proms"),
        ({"colour": "red"}, "items[0]: unknown field 'colour'"),
    ],
)
def test_a_bad_item_field_is_named(changes: dict[str, Any], expected: str) -> None:
    problems = _problems(_template(_item(**changes)))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("t.yaml") for p in problems)


def test_a_missing_field_is_named() -> None:
    item = _item()
    del item["owner"]
    assert any("items[0].owner" in p for p in _problems(_template(item)))


def test_duplicate_codes_are_refused() -> None:
    problems = _problems(_template(_item(), _item()))
    assert "t.yaml.items[1].code: 'consent' is used twice" in problems


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "the file must hold a mapping"),
        ({"site": "default", "version": 0, "items": [_item()]}, "t.yaml.version"),
        ({"site": "Bad Site", "version": 1, "items": [_item()]}, "t.yaml.site"),
        ({"site": "default", "version": 1, "items": []}, "t.yaml.items: give at least one"),
        ({"site": "default", "version": 1, "items": [_item()], "x": 1}, "unknown key 'x'"),
    ],
)
def test_a_bad_header_is_named(data: object, expected: str) -> None:
    assert any(expected in p for p in _problems(data))


def test_every_problem_is_reported_at_once() -> None:
    problems = _problems(_template(_item(owner="x", due_days="y", title="")))
    assert len(problems) == 3


def test_the_site_must_match_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "north.yaml").write_text("site: south\nversion: 1\nitems: []\n")
    with pytest.raises(TemplateError):
        load_file(tmp_path / "north.yaml")


def test_a_directory_without_a_default_is_refused(tmp_path: Path) -> None:
    (tmp_path / "north.yaml").write_text(
        "site: north\nversion: 1\nitems:\n  - {code: consent, title: C, patient_text: T,"
        " owner: staff, due_days: -1, required: true}\n"
    )
    with pytest.raises(TemplateError, match=r"default\.yaml"):
        load_dir(tmp_path)


def test_broken_yaml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("site: [unclosed\n")
    with pytest.raises(TemplateError, match=r"default\.yaml: not valid YAML"):
        load_dir(tmp_path)


def test_due_date_counts_from_the_surgery_date() -> None:
    assert due_date(date(2026, 12, 10), -7) == date(2026, 12, 3)
    assert due_date(date(2026, 12, 10), 0) == date(2026, 12, 10)
    assert due_date(None, -7) is None
