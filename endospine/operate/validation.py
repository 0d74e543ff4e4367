"""Checks on an operative record and a discharge, with no Django imports.

One function per record turns raw input (strings from a page form, or values
already typed by the API schema) into clean values plus a list of
(field, message) errors. Pages and the API share it, so a surgeon sees the
same message whichever way they file the record. The ranges are documented,
with the reason for each bound, in docs/operate.md.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

Errors = list[tuple[str, str]]

ANAESTHESIA = {
    "general": "General",
    "local_sedation": "Local with sedation",
    "epidural_spinal": "Epidural or spinal",
}
TECHNIQUE = {
    "uniportal_full_endoscopic": "Uniportal full-endoscopic",
    "biportal_ube": "Biportal endoscopic (UBE)",
    "microendoscopic": "Microendoscopic (tubular)",
    "open": "Open",
}
APPROACH = {"transforaminal": "Transforaminal", "interlaminar": "Interlaminar", "other": "Other"}
SIDE = {"left": "Left", "right": "Right", "bilateral": "Bilateral", "central": "Central / midline"}
IRRIGATION_FLUID = {
    "normal_saline": "Normal saline",
    "ringer_lactate": "Ringer's lactate",
    "other": "Other",
    "none": "None",
}
IRRIGATION_MODE = {"pump": "Pump", "gravity": "Gravity", "none": "None"}
EVENTS = {
    "none": "None",
    "dural_tear": "Dural tear",
    "nerve_root_injury": "Nerve root injury",
    "bleeding_intervention": "Bleeding needing intervention",
    "conversion_to_open": "Conversion to open",
    "wrong_level": "Wrong level",
}
SPECIMEN = {
    "none": "None",
    "histology": "Sent for histology",
    "culture": "Sent for culture",
    "histology_and_culture": "Sent for histology and culture",
}
CLOSURE = {
    "suture": "Sutures",
    "staples": "Staples",
    "adhesive_strips": "Adhesive strips",
    "skin_glue": "Skin glue",
    "none": "Left open to drain / no closure",
}
DESTINATION = {
    "home": "Home",
    "home_with_support": "Home with support",
    "relative_or_carer": "With a relative or carer",
    "rehabilitation": "Rehabilitation unit",
    "other_hospital": "Another hospital",
}

# Motion segments an operative record may name, cervical to lumbosacral.
_CERVICAL = [f"C{i}-C{i + 1}" for i in range(2, 7)] + ["C7-T1"]
_THORACIC = [f"T{i}-T{i + 1}" for i in range(1, 12)] + ["T12-L1"]
_LUMBAR = [f"L{i}-L{i + 1}" for i in range(1, 5)] + ["L5-S1"]
LEVELS = _CERVICAL + _THORACIC + _LUMBAR
MAX_LEVELS = 4
MAX_SURGEONS = 5
MAX_NAME = 100
MAX_TEXT = 4000
MAX_SHORT_TEXT = 200
# A record filed more than a year after the operation is almost certainly a
# typo in the year; older records belong in a data migration, not this form.
MAX_RECORD_AGE_DAYS = 365


@dataclass(frozen=True)
class NumberRange:
    label: str
    low: float
    high: float
    unit: str
    integer: bool = True

    def describe(self) -> str:
        return f"{self.label} must be between {_fmt(self.low)} and {_fmt(self.high)} {self.unit}"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


RANGES: dict[str, NumberRange] = {
    "endoscope_outer_diameter_mm": NumberRange("Endoscope outer diameter", 2, 25, "mm", False),
    "endoscope_working_channel_mm": NumberRange("Working channel", 1, 10, "mm", False),
    "endoscope_viewing_angle_deg": NumberRange("Viewing angle", 0, 90, "degrees"),
    "pump_pressure_mmhg": NumberRange("Pump pressure", 10, 100, "mmHg"),
    "incision_length_mm": NumberRange("Incision length", 3, 60, "mm"),
    "skin_to_skin_minutes": NumberRange("Skin-to-skin time", 5, 600, "minutes"),
    "fluoroscopy_seconds": NumberRange("Fluoroscopy time", 0, 3600, "seconds"),
    "fluoroscopy_dose_mgy": NumberRange("Fluoroscopy dose", 0, 2000, "mGy", False),
    "estimated_blood_loss_ml": NumberRange("Estimated blood loss", 0, 5000, "ml"),
    "first_walk_hours": NumberRange("First walk after surgery", 0, 72, "hours", False),
    "pain_at_discharge": NumberRange("Pain at discharge", 0, 10, "(0-10 scale)"),
}
ENDOSCOPE_FIELDS = (
    "endoscope_outer_diameter_mm",
    "endoscope_working_channel_mm",
    "endoscope_viewing_angle_deg",
)
OPERATIVE_FIELDS = (
    "operation_date", "surgeons", "anaesthesia", "technique", "approach", "approach_detail",
    "levels", "side", "foraminoplasty", *ENDOSCOPE_FIELDS, "irrigation_fluid",
    "irrigation_mode", "pump_pressure_mmhg", "incision_length_mm", "skin_to_skin_minutes",
    "fluoroscopy_seconds", "fluoroscopy_dose_mgy", "estimated_blood_loss_ml", "events",
    "specimen", "closure", "notes",
)  # fmt: skip


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_list(value: object) -> list[str]:
    """A multi-value input: a list (API, form getlist) or a comma-separated string."""
    if _blank(value):
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return [str(v).strip() for v in items if str(v).strip()]


class _Cleaner:
    """Collects clean values and errors for one submission."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.data: dict[str, Any] = {}
        self.errors: Errors = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append((field, message))

    def choice(self, field: str, choices: Mapping[str, str], label: str) -> str | None:
        value = self.raw.get(field)
        if _blank(value):
            self.fail(field, f"Choose the {label}.")
            return None
        if str(value) not in choices:
            allowed = ", ".join(choices)
            self.fail(field, f"'{value}' is not a known {label}; use one of: {allowed}.")
            return None
        self.data[field] = str(value)
        return str(value)

    def number(self, field: str, *, required: bool) -> float | None:
        spec = RANGES[field]
        value = self.raw.get(field)
        if _blank(value):
            if required:
                self.fail(field, f"Enter the {spec.label.lower()} ({spec.unit}).")
            self.data[field] = None
            return None
        try:
            number = float(str(value).strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.fail(field, f"{spec.label} must be a number of {spec.unit}.")
            return None
        if number != number or isinstance(value, bool):  # NaN or a stray boolean
            self.fail(field, f"{spec.label} must be a number of {spec.unit}.")
            return None
        if spec.integer and not number.is_integer():
            self.fail(field, f"{spec.label} must be a whole number of {spec.unit}.")
            return None
        if not spec.low <= number <= spec.high:
            self.fail(field, f"{spec.describe()} (you entered {_fmt(number)}).")
            return None
        clean: float = int(number) if spec.integer else round(number, 2)
        self.data[field] = clean
        return clean

    def boolean(self, field: str) -> bool:
        value = self.raw.get(field)
        clean = value is True or str(value).lower() in {"1", "true", "on", "yes"}
        self.data[field] = clean
        return clean

    def text(self, field: str, limit: int, *, required: bool = False, label: str = "") -> str:
        value = "" if self.raw.get(field) is None else str(self.raw.get(field)).strip()
        if required and not value:
            self.fail(field, f"Enter the {label or field.replace('_', ' ')}.")
        if len(value) > limit:
            self.fail(field, f"Keep this under {limit} characters (it has {len(value)}).")
        self.data[field] = value
        return value

    def day(self, field: str, label: str) -> date | None:
        value = self.raw.get(field)
        if _blank(value):
            self.fail(field, f"Enter the {label}.")
            return None
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            self.data[field] = value
            return value
        try:
            parsed = date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(field, f"Enter the {label} as YYYY-MM-DD.")
            return None
        self.data[field] = parsed
        return parsed


def clean_operative(raw: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], Errors]:
    """Validate every field of an operative record; return (clean data, errors)."""
    c = _Cleaner(raw)
    _operation_date(c, today)
    _surgeons(c)
    c.choice("anaesthesia", ANAESTHESIA, "anaesthesia")
    technique = c.choice("technique", TECHNIQUE, "technique")
    _approach(c)
    _levels(c)
    c.choice("side", SIDE, "side")
    c.boolean("foraminoplasty")
    _endoscope(c, technique)
    _irrigation(c, endoscopic=technique not in (None, "open"))
    c.number("incision_length_mm", required=True)
    c.number("skin_to_skin_minutes", required=True)
    _fluoroscopy(c)
    c.number("estimated_blood_loss_ml", required=True)
    _events(c, technique)
    c.choice("specimen", SPECIMEN, "specimen")
    c.choice("closure", CLOSURE, "closure")
    c.text("notes", MAX_TEXT)
    _unknown_fields(c, OPERATIVE_FIELDS)
    return c.data, c.errors


def _unknown_fields(c: _Cleaner, known: tuple[str, ...]) -> None:
    for name in c.raw:
        if name not in known and name != "csrfmiddlewaretoken":
            c.fail(name, "This is not a field of the record.")


def _operation_date(c: _Cleaner, today: date) -> None:
    day = c.day("operation_date", "operation date")
    if day is None:
        return
    if day > today:
        c.fail("operation_date", "The operation date cannot be in the future.")
    elif day < today - timedelta(days=MAX_RECORD_AGE_DAYS):
        c.fail(
            "operation_date",
            f"The operation date is more than {MAX_RECORD_AGE_DAYS} days ago; check the year.",
        )


def _surgeons(c: _Cleaner) -> None:
    names = _as_list(c.raw.get("surgeons"))
    if not names:
        c.fail("surgeons", "Name at least one operating surgeon.")
    elif len(names) > MAX_SURGEONS:
        c.fail("surgeons", f"Name at most {MAX_SURGEONS} surgeons.")
    elif any(len(n) > MAX_NAME for n in names):
        c.fail("surgeons", f"Keep each surgeon's name under {MAX_NAME} characters.")
    c.data["surgeons"] = names


def _approach(c: _Cleaner) -> None:
    approach = c.choice("approach", APPROACH, "approach")
    detail = c.text("approach_detail", MAX_SHORT_TEXT)
    if approach == "other" and not detail:
        c.fail("approach_detail", "Describe the approach when you choose 'other'.")


def _levels(c: _Cleaner) -> None:
    levels = [v.upper().replace(" ", "").replace("/", "-") for v in _as_list(c.raw.get("levels"))]
    unknown = [v for v in levels if v not in LEVELS]
    if not levels:
        c.fail("levels", "Give at least one level, e.g. L4-L5.")
    elif unknown:
        c.fail(
            "levels", f"Unknown level {unknown[0]!r}; write adjacent levels like L4-L5 or L5-S1."
        )
    elif len(set(levels)) != len(levels):
        c.fail("levels", "Each level may be listed only once.")
    elif len(levels) > MAX_LEVELS:
        c.fail("levels", f"Record at most {MAX_LEVELS} levels in one record.")
    c.data["levels"] = sorted(set(levels), key=lambda v: LEVELS.index(v) if v in LEVELS else 99)


def _endoscope(c: _Cleaner, technique: str | None) -> None:
    """Endoscope sizes are required for endoscopic techniques, meaningless for open surgery."""
    endoscopic = technique not in (None, "open")
    values = {f: c.number(f, required=endoscopic) for f in ENDOSCOPE_FIELDS}
    if technique == "open" and any(v is not None for v in values.values()):
        c.fail("technique", "Open surgery uses no endoscope: leave the endoscope fields empty.")
    outer, channel = values["endoscope_outer_diameter_mm"], values["endoscope_working_channel_mm"]
    if outer is not None and channel is not None and channel >= outer:
        c.fail(
            "endoscope_working_channel_mm",
            "The working channel must be narrower than the endoscope's outer diameter.",
        )


def _irrigation(c: _Cleaner, *, endoscopic: bool) -> None:
    fluid = c.choice("irrigation_fluid", IRRIGATION_FLUID, "irrigation fluid")
    mode = c.choice("irrigation_mode", IRRIGATION_MODE, "irrigation mode")
    pressure = c.number("pump_pressure_mmhg", required=mode == "pump")
    if endoscopic and "none" in (fluid, mode):
        c.fail(
            "irrigation_mode",
            "Endoscopic surgery runs under irrigation: record its fluid and mode.",
        )
    if (fluid == "none") != (mode == "none") and fluid and mode:
        c.fail("irrigation_mode", "Choose 'none' for both the fluid and the mode, or for neither.")
    if mode != "pump" and pressure is not None:
        c.fail("pump_pressure_mmhg", "Pump pressure applies only when irrigation runs on a pump.")


def _fluoroscopy(c: _Cleaner) -> None:
    seconds = c.number("fluoroscopy_seconds", required=False)
    dose = c.number("fluoroscopy_dose_mgy", required=False)
    failed = any(f in ("fluoroscopy_seconds", "fluoroscopy_dose_mgy") for f, _ in c.errors)
    if seconds is None and dose is None and not failed:
        c.fail(
            "fluoroscopy_seconds", "Give the fluoroscopy time or dose (enter 0 if none was used)."
        )


def _events(c: _Cleaner, technique: str | None) -> None:
    events = _as_list(c.raw.get("events"))
    unknown = [e for e in events if e not in EVENTS]
    if not events:
        c.fail("events", "Record the intra-operative events, or 'none'.")
    elif unknown:
        c.fail("events", f"'{unknown[0]}' is not a known event; use one of: {', '.join(EVENTS)}.")
    elif "none" in events and len(events) > 1:
        c.fail("events", "'None' cannot be combined with an event.")
    elif technique == "open" and "conversion_to_open" in events:
        c.fail("events", "An open operation cannot be converted to open.")
    c.data["events"] = list(dict.fromkeys(events))


DISCHARGE_FIELDS = (
    "discharged_at", "first_walk_hours", "pain_at_discharge", "destination", "follow_up_on",
)  # fmt: skip
# Clocks on ward computers drift; a discharge a few minutes "in the future" is not a typo.
CLOCK_SKEW = timedelta(minutes=10)
MAX_FOLLOW_UP_DAYS = 120


def clean_discharge(
    raw: Mapping[str, Any], *, now: datetime, operation_date: date
) -> tuple[dict[str, Any], Errors]:
    """Validate a discharge against the clock and the day of the operation.

    `discharged_at` must be timezone-aware (the API schema and the page parse
    it so); `same_day` is derived from it, never typed, so it cannot disagree.
    """
    c = _Cleaner(raw)
    at = raw.get("discharged_at")
    if isinstance(at, str) and at.strip():
        try:
            at = datetime.fromisoformat(at.strip())
        except ValueError:
            at = None
            c.fail("discharged_at", "Enter the discharge date and time as YYYY-MM-DDTHH:MM.")
    if not isinstance(at, datetime):
        if not any(f == "discharged_at" for f, _ in c.errors):
            c.fail("discharged_at", "Enter the discharge date and time.")
    elif at.tzinfo is None:
        c.fail("discharged_at", "Give the discharge time with its time zone.")
    elif at > now + CLOCK_SKEW:
        c.fail("discharged_at", "The discharge time cannot be in the future.")
    elif at.date() < operation_date:
        c.fail("discharged_at", "The discharge cannot be before the day of the operation.")
    else:
        c.data["discharged_at"] = at
        c.data["same_day"] = at.date() == operation_date
    c.number("first_walk_hours", required=True)
    c.number("pain_at_discharge", required=True)
    c.choice("destination", DESTINATION, "destination")
    _follow_up(c, at if isinstance(at, datetime) else None)
    _unknown_fields(c, DISCHARGE_FIELDS)
    return c.data, c.errors


def _follow_up(c: _Cleaner, discharged_at: datetime | None) -> None:
    """An optional clinic date; the instructions template supplies one when blank."""
    if _blank(c.raw.get("follow_up_on")):
        c.data["follow_up_on"] = None
        return
    day = c.day("follow_up_on", "follow-up date")
    if day is None or discharged_at is None:
        return
    if day <= discharged_at.date():
        c.fail("follow_up_on", "The follow-up visit must be after the day of discharge.")
    elif day > discharged_at.date() + timedelta(days=MAX_FOLLOW_UP_DAYS):
        c.fail("follow_up_on", f"Book the first follow-up within {MAX_FOLLOW_UP_DAYS} days.")
