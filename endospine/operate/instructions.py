"""Personalised discharge instructions, built from a content template.

Pure: no Django imports. The template (content/discharge/<site>.yaml or
default.yaml) holds the words; this module picks the parts that fit the
patient (technique, wound closure, intra-operative events, same-day
discharge) and fills in their site's numbers and their dates. The page and
the PDF both render the resulting `Instructions`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Item:
    text: str
    source: str = ""


@dataclass(frozen=True)
class Section:
    key: str  # activity, wound, emergency, urgent, routine, follow_up, checkins
    heading: str
    intro: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Facts:
    """What the instructions depend on; all of it comes from the episode's records."""

    site_name: str
    emergency_number: str
    care_team_phone: str
    fever_c: float
    operation_date: date
    discharge_date: date
    same_day: bool
    technique: str
    closure: str
    events: Sequence[str]
    levels: Sequence[str]
    pain_at_discharge: int
    follow_up_on: date | None = None
    checkin_days: Sequence[int] | None = None


@dataclass(frozen=True)
class Instructions:
    title: str
    version: int
    template: str
    emergency_number: str
    care_team_phone: str
    clinic_date: date
    checkin_dates: tuple[date, ...]
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


class TemplateError(ValueError):
    """The content template is missing or malformed: a deployment error, not user input."""


REQUIRED_KEYS = ("version", "title", "activity", "wound", "warning_signs", "follow_up", "checkins")


@lru_cache(maxsize=32)
def _load(path: Path, mtime: float) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TemplateError(f"{path.name}: not a mapping")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise TemplateError(f"{path.name}: missing {', '.join(missing)}")
    return data


SIGN_LEVELS = ("emergency", "urgent")


@lru_cache(maxsize=4)
def _load_signs(path: Path, mtime: float) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    signs = data.get("signs") if isinstance(data, dict) else None
    if not isinstance(signs, list) or not signs:
        raise TemplateError(f"{path.name}: 'signs' must be a non-empty list")
    for number, sign in enumerate(signs, start=1):
        if not isinstance(sign, dict) or sign.get("level") not in SIGN_LEVELS:
            raise TemplateError(f"{path.name}: sign {number} needs a level of emergency or urgent")
        if not sign.get("text") or not sign.get("source") or not sign.get("rules"):
            raise TemplateError(f"{path.name}: sign {number} needs text, rules and source")
    return data


def load_warning_signs(content_dir: Path) -> dict[str, Any]:
    """The one list of warning signs (content/warning_signs.yaml, issue 16 item 9)."""
    path = content_dir / "warning_signs.yaml"
    if not path.is_file():
        raise TemplateError(f"no warning signs file at {path}")
    return _load_signs(path, path.stat().st_mtime)


def with_shared_signs(template: dict[str, Any], signs: Mapping[str, Any]) -> dict[str, Any]:
    """The template with its emergency and urgent items drawn from the shared list, so the
    discharge sheet cannot disagree with triage (a new dict; the template keeps its intros)."""
    merged = dict(template)
    warnings = dict(template["warning_signs"])
    for level in SIGN_LEVELS:
        part = dict(warnings.get(level) or {})
        part["items"] = [
            {"text": s["text"], "source": s["source"]}
            for s in signs["signs"]
            if s["level"] == level
        ]
        warnings[level] = part
    merged["warning_signs"] = warnings
    return merged


def load_template(content_dir: Path, site_slug: str) -> tuple[str, dict[str, Any]]:
    """The site's own template if it has one, else the default; (name, data)."""
    folder = content_dir / "discharge"
    for name in (f"{site_slug}.yaml", "default.yaml"):
        path = folder / name
        if path.is_file():
            template = _load(path, path.stat().st_mtime)
            return name, with_shared_signs(template, load_warning_signs(content_dir))
    raise TemplateError(f"no discharge template in {folder}")


class _Values(dict[str, str]):
    """Placeholders a template may use; an unknown one stays visible rather than crash."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _items(raw: Sequence[Mapping[str, Any]] | None, values: _Values) -> list[Item]:
    return [Item(str(i["text"]).format_map(values), str(i.get("source", ""))) for i in (raw or [])]


def _long_date(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def default_clinic_date(template: Mapping[str, Any], discharge_date: date) -> date:
    """The first clinic visit the template plans when the discharge form leaves it blank."""
    return discharge_date + timedelta(days=int(template["follow_up"]["clinic_visit_days"]))


def build(template: Mapping[str, Any], facts: Facts, *, template_name: str = "") -> Instructions:
    """Choose and fill the template's paragraphs for this patient."""
    follow = template["follow_up"]
    clinic = facts.follow_up_on or default_clinic_date(template, facts.discharge_date)
    days = facts.checkin_days or template["checkins"]["days"]
    checkins = tuple(facts.discharge_date + timedelta(days=int(d)) for d in days)
    values = _Values(
        emergency_number=facts.emergency_number,
        care_team_phone=facts.care_team_phone,
        fever_c=f"{facts.fever_c:.1f}",
        fever_f=f"{facts.fever_c * 9 / 5 + 32:.1f}",
        clinic_date=_long_date(clinic),
        second_date=_long_date(
            facts.discharge_date + timedelta(days=int(follow["second_visit_days"]))
        ),
        stitch_date=_long_date(
            facts.operation_date + timedelta(days=int(follow["stitch_removal_days"]))
        ),
    )
    sections = (
        _activity(template["activity"], facts, values),
        _wound(template["wound"], facts, values),
        *_medicines(template.get("medicines") or {}, facts, values),
        *_warnings(template["warning_signs"], facts, values),
        Section("follow_up", "Follow-up visits", "",
                (Item(str(follow["text"]).format_map(values), str(follow.get("source", ""))),)),
        Section("checkins", "Your check-in schedule",
                str(template["checkins"]["text"]).format_map(values),
                tuple(Item(_long_date(d)) for d in checkins)),
    )  # fmt: skip
    return Instructions(
        title=str(template["title"]),
        version=int(template["version"]),
        template=template_name,
        emergency_number=facts.emergency_number,
        care_team_phone=facts.care_team_phone,
        clinic_date=clinic,
        checkin_dates=checkins,
        sections=sections,
    )


def _activity(raw: Mapping[str, Any], facts: Facts, values: _Values) -> Section:
    kind = (
        "open"
        if facts.technique == "open" or "conversion_to_open" in facts.events
        else ("endoscopic")
    )
    items = _items(raw.get(kind), values) + _items(raw.get("common"), values)
    if facts.same_day:
        items += _items(raw.get("same_day"), values)
    return Section("activity", "Activity", "", tuple(items))


def _wound(raw: Mapping[str, Any], facts: Facts, values: _Values) -> Section:
    by_closure = raw.get("by_closure") or {}
    items = _items(raw.get("common"), values) + _items(by_closure.get(facts.closure), values)
    return Section("wound", "Looking after your wound", "", tuple(items))


def _medicines(raw: Mapping[str, Any], facts: Facts, values: _Values) -> list[Section]:
    """Pain relief, opioid side effects, restarting blood thinners and diabetes medicines."""
    items = _items(raw.get("common"), values)
    if facts.same_day:
        items += _items(raw.get("same_day"), values)
    return [Section("medicines", "Your medicines", "", tuple(items))] if items else []


def is_neck_operation(levels: Sequence[str]) -> bool:
    return any(level.upper().startswith("C") for level in levels)


def _warnings(raw: Mapping[str, Any], facts: Facts, values: _Values) -> list[Section]:
    """Emergency first, then urgent (plus signs tied to what happened in theatre), then routine.

    Signs tied to an event (a dural tear) or to a neck operation come first in the
    section of their level, so they are read first."""
    by_event = raw.get("by_event") or {}
    event_items = [i for e in facts.events for i in _items(by_event.get(e), values)]
    region = (
        (raw.get("by_region") or {}).get("cervical") if is_neck_operation(facts.levels) else None
    )
    region_items = _items(region, values)
    headings = {
        "emergency": "Emergency warning signs",
        "urgent": "Call your care team",
        "routine": "What is normal",
    }
    sections = []
    for key, heading in headings.items():
        part = raw.get(key) or {}
        items = _items(part.get("items"), values)
        if key == "urgent":
            items = event_items + items
        if key == "emergency":
            items = region_items + items
        sections.append(
            Section(key, heading, str(part.get("intro", "")).format_map(values), tuple(items))
        )
    return sections
