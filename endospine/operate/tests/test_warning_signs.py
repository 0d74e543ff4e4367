"""Issue 16 item 9: one list of warning signs (content/warning_signs.yaml). The discharge
sheet draws its emergency and urgent items from it; the triage rules and the risks
article are checked against it, so the four can never disagree."""

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from endospine.learn.content import parse_folders
from endospine.operate import instructions
from endospine.recover.engine import load_ruleset

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content"
SIGNS: list[dict[str, Any]] = yaml.safe_load((CONTENT / "warning_signs.yaml").read_text())["signs"]
TRIAGE = load_ruleset(CONTENT / "rules" / "triage.yaml")


def test_every_named_rule_exists_with_the_same_level() -> None:
    for sign in SIGNS:
        for rule_id in sign["rules"]:
            rule = TRIAGE.rule(rule_id)
            assert rule is not None, f"{rule_id} is not a triage rule"
            assert rule.level == sign["level"], (
                f"{rule_id}: triage {rule.level}, sheet {sign['level']}"
            )


def test_every_emergency_and_urgent_rule_is_on_the_list() -> None:
    named = {rule_id for sign in SIGNS for rule_id in sign["rules"]}
    triage = {r.id for r in TRIAGE.rules if r.level in ("emergency", "urgent")}
    assert triage - named == set()


def test_bloody_drainage_after_day_5_is_urgent_on_both_sides() -> None:
    # The disagreement the issue found: urgent on the sheet, routine in triage.
    sign = next(s for s in SIGNS if "after 5 days" in s["text"])
    assert sign["level"] == "urgent"
    assert TRIAGE.rule("wound_drainage_after_day_5").level == "urgent"  # type: ignore[union-attr]


def _sheet() -> instructions.Instructions:
    _, template = instructions.load_template(CONTENT, "north")
    facts = instructions.Facts(
        site_name="North", emergency_number="911", care_team_phone="+1 555 0100", fever_c=38.0,
        operation_date=date(2026, 11, 19), discharge_date=date(2026, 11, 20), same_day=False,
        technique="uniportal_full_endoscopic", closure="suture", events=(), levels=("L4-L5",),
        pain_at_discharge=3,
    )  # fmt: skip
    return instructions.build(template, facts)


def test_the_discharge_sheet_is_drawn_from_the_list() -> None:
    sheet = _sheet()
    for level in ("emergency", "urgent"):
        items = [i.text for i in sheet.section(level).items]
        expected = [
            s["text"].format(emergency_number="911", fever_c="38.0", fever_f="100.4")
            for s in SIGNS
            if s["level"] == level
        ]
        assert items == expected


def test_the_article_carries_each_sign_at_its_level() -> None:
    article = next(
        a for a in parse_folders([CONTENT / "knowledge"]) if a.slug == "risks-and-warning-signs"
    )
    sections = {s.anchor: s.text.lower() for s in article.sections}
    where = {"emergency": sections["emergency-signs"], "urgent": sections["urgent-signs"]}
    for sign in SIGNS:
        if sign["article"]:
            assert sign["article"].lower() in where[sign["level"]], sign["text"]


def test_the_check_in_advice_names_each_level_the_list_uses() -> None:
    # The advice a patient reads after a check-in is per level; each level the list
    # uses has advice with the right number to call.
    assert "{emergency_number}" in TRIAGE.advice["emergency"]
    assert "{care_team_phone}" in TRIAGE.advice["urgent"]
