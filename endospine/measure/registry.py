"""The registry's vocabulary as data: measures, timepoints, outcome definitions and
adverse events. Pure: no Django. Loaded from content/registry/ and validated by
the system check `measure.E001`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

PROM_MEASURES = ("odi", "nrs_back", "nrs_leg")
ANSWER_MEASURES = ("satisfaction", "return_to_work")
EVENT_MEASURES = ("adverse_events", "reoperation")
MEASURES = PROM_MEASURES + ANSWER_MEASURES + EVENT_MEASURES
FOLLOWUP_TIMEPOINTS = ("6w", "3m", "12m", "24m")
EVENT_TIMEPOINT = "90d"
GROUP_BY = ("program", "site", "surgeon", "approach", "level", "diagnosis")
RULE_KINDS = ("improvement", "values", "events")
CLAVIEN_DINDO = ("I", "II", "IIIa", "IIIb", "IVa", "IVb", "V")
PHASES = ("intraoperative", "postoperative")
SOURCES = ("operative_record", "alert", "staff", "patient")
# The proms app's timepoint codes, mapped to the registry's.
PROM_TIMEPOINTS = {"week6": "6w", "month3": "3m", "month12": "12m", "month24": "24m"}


class RegistryFileError(ValueError):
    pass


@dataclass(frozen=True)
class Window:
    """A follow-up timepoint: `days` after surgery, answers count from `before` days
    ahead to `after` days past it."""

    code: str
    days: int
    before: int
    after: int

    def opens(self, surgery: date) -> date:
        return surgery + timedelta(days=self.days - self.before)

    def closes(self, surgery: date) -> date:
        return surgery + timedelta(days=self.days + self.after)


DEFAULT_WINDOWS: dict[str, Window] = {
    "6w": Window("6w", 42, 14, 14),
    "3m": Window("3m", 91, 30, 30),
    "12m": Window("12m", 365, 61, 61),
    "24m": Window("24m", 730, 91, 91),
    # Adverse events and reoperation: the 90 days after surgery.
    "90d": Window("90d", 90, 90, 0),
}


def windows(site_settings: Mapping[str, Any] | None) -> dict[str, Window]:
    """The defaults with a site's `registry_windows` overrides; RegistryFileError if bad.

    Example: {"registry_windows": {"12m": {"before": 30, "after": 90}}}.
    """
    raw = (site_settings or {}).get("registry_windows") or {}
    if not isinstance(raw, Mapping):
        raise RegistryFileError("registry_windows must be an object")
    result = dict(DEFAULT_WINDOWS)
    for code, override in raw.items():
        if code not in FOLLOWUP_TIMEPOINTS or not isinstance(override, Mapping):
            raise RegistryFileError(f"registry_windows.{code}: unknown timepoint")
        base = DEFAULT_WINDOWS[code]
        values = {k: override.get(k, getattr(base, k)) for k in ("days", "before", "after")}
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1200:
                raise RegistryFileError(f"registry_windows.{code}.{key} must be 0-1200 days")
        result[code] = Window(code, values["days"], values["before"], values["after"])
    return result


@dataclass(frozen=True)
class Rule:
    kind: str
    points: float | None = None
    percent: float | None = None
    values: tuple[int, ...] = ()

    def success(self, baseline: float | None, followup: float | None) -> bool:
        """Whether one response counts as a success (an event, for event measures)."""
        if followup is None:
            return False
        if self.kind == "values":
            return int(followup) in self.values
        if self.kind == "events":
            return followup >= 1
        if baseline is None:
            return False
        gain = baseline - followup
        by_points = self.points is not None and gain >= self.points
        by_percent = (
            self.percent is not None and baseline > 0 and gain * 100 >= self.percent * baseline
        )
        return by_points or by_percent


@dataclass(frozen=True)
class Definition:
    code: str
    version: int
    label: str
    source: str
    rules: dict[str, Rule]


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    phase: str
    source: str
    operative_event: str = ""
    reoperation: bool = False


def _rule(raw: Any, where: str) -> Rule:
    if not isinstance(raw, Mapping) or raw.get("kind") not in RULE_KINDS:
        raise RegistryFileError(f"{where}: kind must be one of {', '.join(RULE_KINDS)}")
    kind = raw["kind"]
    if kind == "improvement":
        points, percent = raw.get("points"), raw.get("percent")
        for name, value in (("points", points), ("percent", percent)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise RegistryFileError(f"{where}.{name} must be a number")
        if points is None and percent is None:
            raise RegistryFileError(f"{where}: give points, percent or both")
        return Rule(kind, points=points, percent=percent)
    if kind == "values":
        values = raw.get("values")
        if not isinstance(values, list) or not values or not all(type(v) is int for v in values):
            raise RegistryFileError(f"{where}.values must be a list of whole numbers")
        return Rule(kind, values=tuple(values))
    return Rule(kind)


def _definition(raw: Any, index: int, base: Mapping[str, Rule] | None) -> Definition:
    where = f"definitions[{index}]"
    if not isinstance(raw, Mapping):
        raise RegistryFileError(f"{where} must be an object")
    for key in ("code", "label", "source"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RegistryFileError(f"{where}.{key} is required")
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RegistryFileError(f"{where}.version must be a whole number from 1")
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, Mapping) or not rules_raw:
        raise RegistryFileError(f"{where}.rules is required")
    rules = dict(base or {})
    for measure, rule in rules_raw.items():
        if measure not in MEASURES:
            raise RegistryFileError(f"{where}.rules.{measure}: unknown measure")
        rules[measure] = _rule(rule, f"{where}.rules.{measure}")
        expected = "events" if measure in EVENT_MEASURES else None
        if (expected and rules[measure].kind != expected) or (
            not expected and rules[measure].kind == "events"
        ):
            raise RegistryFileError(f"{where}.rules.{measure}: wrong kind for this measure")
    return Definition(raw["code"], version, raw["label"], raw["source"], rules)


def parse_definitions(data: Any) -> tuple[str, dict[str, Definition]]:
    """(default code, definitions by code) from the parsed YAML."""
    if not isinstance(data, Mapping) or not isinstance(data.get("definitions"), list):
        raise RegistryFileError("definitions.yaml needs a `definitions` list")
    default = data.get("default")
    items = data["definitions"]
    first = next((d for d in items if isinstance(d, Mapping) and d.get("code") == default), None)
    if first is None:
        raise RegistryFileError("`default` must name one of the definitions")
    base = _definition(first, items.index(first), None)
    missing = [m for m in MEASURES if m not in base.rules]
    if missing:
        raise RegistryFileError(f"the default definition has no rule for {', '.join(missing)}")
    result: dict[str, Definition] = {}
    for index, raw in enumerate(items):
        definition = _definition(raw, index, base.rules)
        if definition.code in result:
            raise RegistryFileError(f"definitions[{index}].code repeats {definition.code}")
        result[definition.code] = definition
    return str(default), result


def parse_events(data: Any) -> dict[str, EventType]:
    if not isinstance(data, Mapping) or not isinstance(data.get("events"), list):
        raise RegistryFileError("adverse_events.yaml needs an `events` list")
    result: dict[str, EventType] = {}
    for index, raw in enumerate(data["events"]):
        where = f"events[{index}]"
        if not isinstance(raw, Mapping):
            raise RegistryFileError(f"{where} must be an object")
        for key in ("code", "label"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise RegistryFileError(f"{where}.{key} is required")
        if raw.get("phase") not in PHASES:
            raise RegistryFileError(f"{where}.phase must be one of {', '.join(PHASES)}")
        if raw.get("source") not in SOURCES:
            raise RegistryFileError(f"{where}.source must be one of {', '.join(SOURCES)}")
        if raw["code"] in result:
            raise RegistryFileError(f"{where}.code repeats {raw['code']}")
        result[raw["code"]] = EventType(
            raw["code"],
            raw["label"],
            raw["phase"],
            raw["source"],
            str(raw.get("operative_event") or ""),
            bool(raw.get("reoperation", False)),
        )
    return result


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryFileError(f"{path.name}: {exc}") from exc


def load_definitions(directory: Path) -> tuple[str, dict[str, Definition]]:
    return parse_definitions(_read(directory / "definitions.yaml"))


def load_events(directory: Path) -> dict[str, EventType]:
    return parse_events(_read(directory / "adverse_events.yaml"))
