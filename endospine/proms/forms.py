"""The questionnaire page's fields: built from the FHIR Questionnaires, parsed back to answers.

Field names are "<instrument>-<item>" (e.g. "odi-walking"); a field left
empty is an unanswered item. Values are checked by the scorer, not here, so
the page and the API refuse the same things with the same messages.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from endospine.proms.instruments import option_label, option_values

NRS_EXT = "https://endospine.invalid/fhir/StructureDefinition/anchor-"
# Without a licence we show only numbers; these anchors are our own words.
ODI_ANCHORS = {0: "no difficulty", 5: "as bad as it could be"}


@dataclass
class Option:
    value: int
    label: str
    checked: bool


@dataclass
class Item:
    name: str
    text: str
    hint: str
    options: list[Option]
    error: str = ""
    optional: bool = False


@dataclass
class Section:
    code: str
    title: str
    description: str
    items: list[Item] = field(default_factory=list)
    error: str = ""


def _anchor(item: Mapping[str, Any], which: str) -> str:
    for ext in item.get("extension", []):
        if ext.get("url") == NRS_EXT + which:
            return str(ext.get("valueString", ""))
    return ""


def _options(item: Mapping[str, Any], code: str, chosen: str) -> list[Option]:
    if item.get("type") == "integer":
        values = list(range(11))
    else:
        values = [v for v in option_values(dict(item)) if v is not None]
    options = []
    for value in values:
        label = option_label(dict(item), value) if code == "odi" else ""
        if not label and code == "odi" and value in ODI_ANCHORS:
            label = f"{value}: {ODI_ANCHORS[value]}"
        options.append(Option(value, label or str(value), chosen == str(value)))
    return options


def sections(
    questionnaires: Sequence[Mapping[str, Any]],
    data: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> list[Section]:
    data, errors = data or {}, errors or {}
    built = []
    for q in questionnaires:
        code = str(q["id"])
        section = Section(
            code, str(q["title"]), str(q.get("description", "")), error=errors.get(code, "")
        )
        for item in q["item"]:
            name = f"{code}-{item['linkId']}"
            hint = "; ".join(filter(None, (_anchor(item, "low"), _anchor(item, "high"))))
            section.items.append(
                Item(
                    name=name,
                    text=str(item["text"]),
                    hint=hint,
                    options=_options(item, code, data.get(name, "")),
                    error=errors.get(name, ""),
                    optional=code == "odi",
                )
            )
        built.append(section)
    return built


def parse(
    questionnaires: Sequence[Mapping[str, Any]], data: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """{instrument: {item: int | None | raw text}} from the submitted form."""
    answers: dict[str, dict[str, Any]] = {}
    for q in questionnaires:
        code = str(q["id"])
        answers[code] = {}
        for item in q["item"]:
            raw = (data.get(f"{code}-{item['linkId']}") or "").strip()
            answers[code][item["linkId"]] = int(raw) if raw.isdigit() else (raw or None)
    return answers


def field_errors(errors: Sequence[tuple[str, str]]) -> dict[str, str]:
    """DomainError fields ("odi.answers.walking", "odi.answers") -> form names ("odi-walking")."""
    found = {}
    for name, message in errors:
        instrument, _, rest = name.partition(".answers")
        key = f"{instrument}-{rest.lstrip('.')}" if rest.strip(".") else instrument
        found[key] = message
    return found
