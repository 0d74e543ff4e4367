"""Discharge instructions and their PDF, without the database."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from endospine.operate import instructions, pdf
from endospine.operate.instructions import Facts

CONTENT = Path(__file__).resolve().parents[3] / "content"


def facts(**changes: Any) -> Facts:
    values: dict[str, Any] = {
        "site_name": "South Spine Centre",
        "emergency_number": "999",
        "care_team_phone": "+44 20 7946 0000",
        "fever_c": 38.0,
        "operation_date": date(2026, 11, 20),
        "discharge_date": date(2026, 11, 20),
        "same_day": True,
        "technique": "uniportal_full_endoscopic",
        "closure": "suture",
        "events": ["none"],
        "levels": ["L5-S1"],
        "pain_at_discharge": 3,
    }
    values.update(changes)
    return Facts(**values)


@pytest.fixture
def template() -> dict[str, Any]:
    name, data = instructions.load_template(CONTENT, "south")
    assert name == "default.yaml"
    return data


def texts(ins: instructions.Instructions, key: str) -> str:
    section = ins.section(key)
    return section.intro + " " + " ".join(i.text for i in section.items)


def test_warning_signs_carry_the_sites_numbers(template: dict[str, Any]) -> None:
    ins = instructions.build(template, facts())
    assert "Call 999 now" in texts(ins, "emergency")
    assert "+44 20 7946 0000" in texts(ins, "urgent")
    assert "{" not in " ".join(texts(ins, s.key) for s in ins.sections)


def test_fever_threshold_is_the_setting(template: dict[str, Any]) -> None:
    assert "38.3 °C (100.9 °F)" in texts(
        instructions.build(template, facts(fever_c=38.3)), "urgent"
    )


def test_every_item_names_its_source(template: dict[str, Any]) -> None:
    ins = instructions.build(template, facts(events=["dural_tear"]))
    for key in ("activity", "wound", "emergency", "urgent", "routine", "follow_up"):
        assert all(item.source for item in ins.section(key).items), key


def test_open_or_converted_surgery_gets_the_slower_activity_advice(
    template: dict[str, Any],
) -> None:
    endoscopic = texts(instructions.build(template, facts()), "activity")
    converted = texts(
        instructions.build(template, facts(events=["conversion_to_open"])), "activity"
    )
    assert "small opening" in endoscopic and "open operation" not in endoscopic
    assert "open operation" in converted


def test_same_day_discharge_adds_the_first_night_advice(template: dict[str, Any]) -> None:
    assert "first night" in texts(instructions.build(template, facts()), "activity")
    assert "first night" not in texts(
        instructions.build(template, facts(same_day=False, discharge_date=date(2026, 11, 21))),
        "activity",
    )


@pytest.mark.parametrize(
    ("closure", "fragment"),
    [
        ("suture", "stitches"),
        ("staples", "staples"),
        ("skin_glue", "glue"),
        ("adhesive_strips", "paper strips"),
    ],
)
def test_wound_care_follows_the_closure(
    template: dict[str, Any], closure: str, fragment: str
) -> None:
    assert fragment in texts(instructions.build(template, facts(closure=closure)), "wound")


def test_stitch_date_is_twelve_days_after_the_operation(template: dict[str, Any]) -> None:
    assert "Wednesday 2 December 2026" in texts(instructions.build(template, facts()), "wound")


def test_dural_tear_adds_the_leak_warning_first(template: dict[str, Any]) -> None:
    ins = instructions.build(template, facts(events=["dural_tear"]))
    assert "lining around the nerves" in ins.section("urgent").items[0].text
    assert "lining" not in texts(instructions.build(template, facts()), "urgent")


def test_follow_up_and_checkins(template: dict[str, Any]) -> None:
    ins = instructions.build(template, facts())
    assert ins.clinic_date == date(2026, 12, 4)
    assert ins.checkin_dates[:2] == (date(2026, 11, 21), date(2026, 11, 22))
    assert len(ins.checkin_dates) == 8  # days 21 and 28 added by issue 16 item 10
    chosen = instructions.build(
        template, facts(follow_up_on=date(2026, 12, 1), checkin_days=[2, 5])
    )
    assert chosen.clinic_date == date(2026, 12, 1)
    assert "Tuesday 1 December 2026" in texts(chosen, "follow_up")
    assert chosen.checkin_dates == (date(2026, 11, 22), date(2026, 11, 25))


def test_a_site_template_replaces_the_default(tmp_path: Path, template: dict[str, Any]) -> None:
    import yaml

    (tmp_path / "discharge").mkdir()
    site = {**template, "version": 7, "title": "Home from East"}
    (tmp_path / "discharge" / "east.yaml").write_text(yaml.safe_dump(site))
    (tmp_path / "discharge" / "default.yaml").write_text(yaml.safe_dump(template))
    shared = Path(instructions.__file__).resolve().parents[2] / "content" / "warning_signs.yaml"
    (tmp_path / "warning_signs.yaml").write_text(shared.read_text(encoding="utf-8"))
    name, data = instructions.load_template(tmp_path, "east")
    assert name == "east.yaml" and data["title"] == "Home from East"
    assert instructions.load_template(tmp_path, "west")[0] == "default.yaml"


def test_missing_or_broken_template_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(instructions.TemplateError, match="no discharge template"):
        instructions.load_template(tmp_path, "north")
    (tmp_path / "discharge").mkdir()
    (tmp_path / "discharge" / "default.yaml").write_text("version: 1\n")
    with pytest.raises(instructions.TemplateError, match="missing"):
        instructions.load_template(tmp_path, "north")


def test_pdf_holds_the_emergency_and_care_team_numbers(template: dict[str, Any]) -> None:
    ins = instructions.build(template, facts())
    data = pdf.render(ins, header=["For: Sid Poe"], compress=False)
    assert data.startswith(b"%PDF-")
    # Uncompressed content streams keep each line's text as a PDF string.
    assert b"Emergency: call 999" in data
    assert b"Your care team: +44 20 7946 0000" in data
    assert b"Call 999 now if you have:" in data


def test_compressed_pdf_is_smaller(template: dict[str, Any]) -> None:
    ins = instructions.build(template, facts())
    assert len(pdf.render(ins, header=[])) < len(pdf.render(ins, header=[], compress=False))
