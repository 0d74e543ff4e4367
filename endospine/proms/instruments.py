"""Reading and checking instrument files (FHIR R4 Questionnaire JSON). Pure: no Django.

Every instrument under content/instruments/ must have a scorer in
scoring.py, and its item codes must be exactly the ones the scorer reads,
so a typo in a file is caught by `endospine proms load`, not by a patient.
"""

import json
from copy import deepcopy
from pathlib import Path
from typing import Any

from endospine.proms.scoring import INSTRUMENTS, NRS_ITEM, NRS_MAX, ODI_SECTIONS

EXPECTED_ITEMS: dict[str, tuple[str, ...]] = {
    "odi": ODI_SECTIONS,
    "nrs_back": (NRS_ITEM,),
    "nrs_leg": (NRS_ITEM,),
}
MIN_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/maxValue"
LICENSED_URL = "https://endospine.invalid/fhir/StructureDefinition/licensed-wording"
ODI_OPTIONS = 6  # answers 0..5


class InstrumentError(ValueError):
    pass


def _extension(element: dict[str, Any], url: str) -> Any:
    for ext in element.get("extension", []) or []:
        if ext.get("url") == url:
            return next((v for k, v in ext.items() if k.startswith("value")), None)
    return None


def _item_problems(code: str, item: dict[str, Any]) -> list[str]:
    link = item.get("linkId", "?")
    if not item.get("text"):
        return [f"{code}: item {link} has no text"]
    if code == "odi":
        if item.get("type") != "choice" or option_values(item) != list(range(ODI_OPTIONS)):
            return [f"{code}: item {link} must be a choice with options 0 to 5"]
        return []
    low, high = _extension(item, MIN_VALUE_URL), _extension(item, MAX_VALUE_URL)
    if item.get("type") != "integer" or (low, high) != (0, NRS_MAX):
        return [f"{code}: item {link} must be an integer from 0 to {NRS_MAX}"]
    return []


def problems(data: Any) -> list[str]:
    """Everything wrong with a Questionnaire; an empty list means valid."""
    if not isinstance(data, dict) or data.get("resourceType") != "Questionnaire":
        return ["not a FHIR Questionnaire (resourceType must be 'Questionnaire')"]
    code = data.get("id")
    if code not in INSTRUMENTS:
        return [f"id '{code}' has no scorer; expected one of: {', '.join(INSTRUMENTS)}"]
    found = [
        f"{code}: missing '{key}'"
        for key in ("url", "version", "title", "status")
        if not data.get(key)
    ]
    items = data.get("item") or []
    links = tuple(i.get("linkId") for i in items if isinstance(i, dict))
    if links != EXPECTED_ITEMS[code] or len(links) != len(items):
        found.append(f"{code}: items must be, in order: {', '.join(EXPECTED_ITEMS[code])}")
        return found
    for item in items:
        found.extend(_item_problems(code, item))
    return found


def read(path: Path) -> dict[str, Any]:
    """One instrument file, parsed and validated; InstrumentError says what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InstrumentError(f"{path.name}: {exc}") from exc
    found = problems(data)
    if found:
        raise InstrumentError(f"{path.name}: " + "; ".join(found))
    if path.stem != data["id"]:
        raise InstrumentError(f"{path.name}: file name must be {data['id']}.json")
    return dict(data)


def read_all(directory: Path) -> list[dict[str, Any]]:
    files = sorted(directory.glob("*.json"))
    found = [read(path) for path in files]
    missing = set(INSTRUMENTS) - {q["id"] for q in found}
    if missing:
        raise InstrumentError(f"{directory}: missing instruments: {', '.join(sorted(missing))}")
    return found


def _wording_problems(wording: Any) -> list[str]:
    if not isinstance(wording, dict) or wording.get("instrument") != "odi":
        return ["wording file: 'instrument' must be 'odi'"]
    sections = wording.get("sections")
    if not isinstance(sections, dict) or set(sections) != set(ODI_SECTIONS):
        return ["wording file: 'sections' must have exactly the ten ODI section codes"]
    found = []
    for code, section in sections.items():
        options = section.get("options") if isinstance(section, dict) else None
        if (
            not isinstance(section, dict)
            or not isinstance(section.get("title"), str)
            or not isinstance(options, list)
            or len(options) != ODI_OPTIONS
            or not all(isinstance(o, str) and o.strip() for o in options)
        ):
            found.append(f"wording file: sections.{code} needs a 'title' and six 'options'")
    return found


def apply_odi_wording(questionnaire: dict[str, Any], wording: Any) -> dict[str, Any]:
    """The ODI Questionnaire with a clinic's licensed wording merged in (a new dict)."""
    found = _wording_problems(wording)
    if found:
        raise InstrumentError("; ".join(found))
    merged = deepcopy(questionnaire)
    for item in merged["item"]:
        section = wording["sections"][item["linkId"]]
        item["text"] = section["title"]
        item["answerOption"] = [
            {"valueCoding": {"code": str(i), "display": text}}
            for i, text in enumerate(section["options"])
        ]
    merged["extension"] = [e for e in merged.get("extension", []) if e.get("url") != LICENSED_URL]
    merged["extension"].append({"url": LICENSED_URL, "valueBoolean": True})
    if wording.get("copyright"):
        merged["copyright"] = str(wording["copyright"])
    return merged


def read_odi_wording(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InstrumentError(f"wording file {path.name}: {exc}") from exc
    found = _wording_problems(data)
    if found:
        raise InstrumentError("; ".join(found))
    return dict(data)


def _option_value(option: dict[str, Any]) -> int | None:
    if isinstance(option.get("valueInteger"), int):
        return int(option["valueInteger"])
    code = str(option.get("valueCoding", {}).get("code", ""))
    return int(code) if code.isdigit() else None


def option_values(item: dict[str, Any]) -> list[int | None]:
    """The numbers of a choice item's options (valueInteger, or a numeric valueCoding)."""
    return [_option_value(o) for o in item.get("answerOption", []) if isinstance(o, dict)]


def option_label(item: dict[str, Any], value: int) -> str:
    """The wording of one answer option, or '' when only the number is known."""
    for option in item.get("answerOption", []):
        if _option_value(option) == value:
            return str(option.get("valueCoding", {}).get("display", ""))
    return ""


UNLICENSED_ODI_TITLE = "Back pain and daily life (10 areas, EndoSpine's own wording)"
UNLICENSED_ODI_DESCRIPTION = (
    "Ten areas of daily life, each answered from 0 (no problem) to 5 (the worst). "
    "This is not the Oswestry Disability Index: its scores are kept apart and never "
    "compared with published ODI results."
)


def is_licensed(questionnaire: dict[str, Any]) -> bool:
    """True when the ODI carries its licensed wording (other instruments: always True)."""
    if questionnaire.get("id") != "odi":
        return True
    return _extension(questionnaire, LICENSED_URL) is True


def labelled(questionnaire: dict[str, Any]) -> dict[str, Any]:
    """Without the licensed wording the ODI's structure is not called the ODI (issue 16
    item 15): a new title and description, the rest unchanged (a new dict)."""
    if is_licensed(questionnaire):
        return questionnaire
    relabelled = deepcopy(questionnaire)
    relabelled["title"] = UNLICENSED_ODI_TITLE
    relabelled["description"] = UNLICENSED_ODI_DESCRIPTION
    return relabelled
