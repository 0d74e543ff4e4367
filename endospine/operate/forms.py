"""How the operative record and discharge forms are laid out on the page.

Not Django forms: validation lives in endospine.operate.validation, shared
with the API. This module only describes the fields (label, input kind,
choices, hint) and binds them to values and errors for the templates.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from endospine.operate import validation as v


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # date, datetime, text, select, checkbox, checkboxes, number, textarea
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    required: bool = True


def _range_hint(name: str) -> str:
    spec = v.RANGES[name]
    low, high = v._fmt(spec.low), v._fmt(spec.high)
    step = "whole number" if spec.integer else "decimals allowed"
    return f"{low} to {high} {spec.unit} ({step})"


def _num(name: str, label: str, *, required: bool = True, extra: str = "") -> FieldSpec:
    hint = _range_hint(name) + (f". {extra}" if extra else "")
    return FieldSpec(name, label, "number", hint=hint, required=required)


def _sel(name: str, label: str, choices: Mapping[str, str]) -> FieldSpec:
    return FieldSpec(name, label, "select", tuple(choices.items()))


OPERATIVE_GROUPS: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = (
    ("Operation", (
        FieldSpec("operation_date", "Operation date", "date"),
        FieldSpec("surgeons", "Operating surgeons", "text", hint="Names, comma-separated, 1 to 5."),
        _sel("anaesthesia", "Anaesthesia", v.ANAESTHESIA),
    )),
    ("Technique and levels", (
        _sel("technique", "Technique", v.TECHNIQUE),
        _sel("approach", "Approach", v.APPROACH),
        FieldSpec("approach_detail", "Approach detail", "text",
                  hint="Required when the approach is 'Other'.", required=False),
        FieldSpec("levels", "Levels", "text", hint="Adjacent levels, e.g. L4-L5, L5-S1 (up to 4)."),
        _sel("side", "Side", v.SIDE),
        FieldSpec("foraminoplasty", "Foraminoplasty performed", "checkbox", required=False),
    )),
    ("Endoscope (leave empty for open surgery)", (
        _num("endoscope_outer_diameter_mm", "Outer diameter", required=False),
        _num("endoscope_working_channel_mm", "Working channel", required=False,
             extra="Narrower than the outer diameter"),
        _num("endoscope_viewing_angle_deg", "Viewing angle", required=False),
    )),
    ("Irrigation", (
        _sel("irrigation_fluid", "Irrigation fluid", v.IRRIGATION_FLUID),
        _sel("irrigation_mode", "Irrigation mode", v.IRRIGATION_MODE),
        _num("pump_pressure_mmhg", "Pump pressure", required=False, extra="Pump only"),
    )),
    ("Measures", (
        _num("incision_length_mm", "Incision length"),
        _num("skin_to_skin_minutes", "Skin-to-skin time"),
        _num("fluoroscopy_seconds", "Fluoroscopy time", required=False,
             extra="Give the time or the dose; 0 if none was used"),
        _num("fluoroscopy_dose_mgy", "Fluoroscopy dose", required=False),
        _num("estimated_blood_loss_ml", "Estimated blood loss"),
    )),
    ("Events, specimen and closure", (
        FieldSpec("events", "Intra-operative events", "checkboxes", tuple(v.EVENTS.items()),
                  hint="Tick 'None' or every event that happened."),
        _sel("specimen", "Specimen", v.SPECIMEN),
        _sel("closure", "Closure", v.CLOSURE),
        FieldSpec("notes", "Notes", "textarea", hint="Up to 4000 characters.", required=False),
    )),
)  # fmt: skip

DISCHARGE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("discharged_at", "Discharge date and time", "datetime",
              hint="The site's local time."),
    _num("first_walk_hours", "First walk after surgery", extra="Hours after the operation"),
    FieldSpec("pain_at_discharge", "Pain at discharge", "select",
              tuple((str(i), str(i)) for i in range(11)), hint="0 no pain, 10 worst imaginable"),
    _sel("destination", "Destination", v.DESTINATION),
    FieldSpec("follow_up_on", "First clinic visit", "date", required=False,
              hint="Leave empty to book it 2 weeks after discharge."),
)  # fmt: skip

LIST_FIELDS = ("surgeons", "levels", "events")


def form_values(post: Any) -> dict[str, Any]:
    """Raw values from a POST QueryDict, lists where the field takes several."""
    values: dict[str, Any] = {k: post.get(k) for k in post if k != "csrfmiddlewaretoken"}
    values["events"] = post.getlist("events")
    return values


def record_values(record: Any) -> dict[str, Any]:
    """A stored record as form values (lists as comma-separated text)."""
    names = [spec.name for _, specs in OPERATIVE_GROUPS for spec in specs]
    values = {name: getattr(record, name) for name in names}
    values["surgeons"] = ", ".join(record.surgeons)
    values["levels"] = ", ".join(record.levels)
    values["operation_date"] = record.operation_date.isoformat()
    return values


def bind(
    specs: tuple[FieldSpec, ...], values: Mapping[str, Any], errors: Mapping[str, str]
) -> list[dict[str, Any]]:
    bound = []
    for spec in specs:
        value = values.get(spec.name)
        if isinstance(value, list) and spec.name in ("surgeons", "levels"):
            value = ", ".join(value)
        bound.append({
            "spec": spec,
            "value": "" if value is None else value,
            "values": [str(x) for x in value] if isinstance(value, list) else [],
            "error": errors.get(spec.name, ""),
        })  # fmt: skip
    return bound


def bind_groups(values: Mapping[str, Any], errors: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        {"title": title, "fields": bind(specs, values, errors)} for title, specs in OPERATIVE_GROUPS
    ]
