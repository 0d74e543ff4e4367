"""Checklist templates: parse and validate `content/checklists/*.yaml`.

Pure: no Django imports, so the rules are tested case by case without a
database. A template file names its site (a site slug, or "default"), a
version and the items every episode of that site must prepare. A bad file is
refused as a whole with messages that say which file, which item and which
field is wrong, so nothing half-valid reaches a patient.
"""

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SITE = "default"
OWNERS = ("patient", "staff")
# Things the app can complete by itself; each name maps to code in services.
AUTO_SOURCES = ("baseline_proms",)
# Values a patient text may refer to; filled at generation time from settings.
PLACEHOLDERS = ("food_hours", "clear_fluids_hours", "imaging_max_age_days", "consent_lead_days")
MIN_DUE_DAYS, MAX_DUE_DAYS = -365, 30
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
_SITE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
_ITEM_KEYS = frozenset(
    {
        "code",
        "title",
        "patient_text",
        "owner",
        "due_days",
        "required",
        "records_stop_date",
        "auto",
        "source",
    }
)
_TOP_KEYS = frozenset({"site", "version", "items"})


class TemplateError(ValueError):
    """A template file is invalid. `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ItemSpec:
    code: str
    title: str
    patient_text: str
    owner: str
    due_days: int
    required: bool
    records_stop_date: bool = False
    auto: str = ""
    source: str = ""

    def text_for(self, values: Mapping[str, object]) -> str:
        """The patient text with its placeholders filled in."""
        return self.patient_text.format_map(dict(values))


@dataclass(frozen=True)
class TemplateSpec:
    site: str
    version: int
    items: tuple[ItemSpec, ...]


def due_date(surgery_date: date | None, due_days: int) -> date | None:
    """When an item is due, or None while the surgery date is not set."""
    if surgery_date is None:
        return None
    return surgery_date + timedelta(days=due_days)


def _placeholders(text: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:  # an unmatched brace
        raise ValueError(f"has a stray brace ({exc})") from exc


def _text(item: Mapping[str, Any], key: str, where: str, limit: int, problems: list[str]) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}.{key}: required text is missing")
        return ""
    if len(value) > limit:
        problems.append(f"{where}.{key}: keep it under {limit} characters (it has {len(value)})")
    return value.strip()


def _flag(
    item: Mapping[str, Any], key: str, where: str, default: bool, problems: list[str]
) -> bool:
    value = item.get(key, default)
    if not isinstance(value, bool):
        problems.append(f"{where}.{key}: must be true or false, got {value!r}")
        return default
    return value


def _patient_text(item: Mapping[str, Any], where: str, problems: list[str]) -> str:
    text = _text(item, "patient_text", where, 1000, problems)
    try:
        unknown = [n for n in _placeholders(text) if n not in PLACEHOLDERS]
    except ValueError as exc:
        problems.append(f"{where}.patient_text: {exc}")
        return text
    if unknown:
        allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        problems.append(
            f"{where}.patient_text: unknown placeholder {{{unknown[0]}}} (use {allowed})"
        )
    return text


def _due_days(item: Mapping[str, Any], where: str, problems: list[str]) -> int:
    value = item.get("due_days")
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{where}.due_days: must be a whole number of days, got {value!r}")
        return 0
    if not MIN_DUE_DAYS <= value <= MAX_DUE_DAYS:
        problems.append(
            f"{where}.due_days: must be between {MIN_DUE_DAYS} and {MAX_DUE_DAYS} "
            f"(days from the surgery date), got {value}"
        )
    return value


def _choice(
    item: Mapping[str, Any],
    key: str,
    where: str,
    choices: tuple[str, ...],
    problems: list[str],
    *,
    optional: bool = False,
) -> str:
    value = item.get(key, "" if optional else None)
    if optional and value == "":
        return ""
    if value not in choices:
        problems.append(f"{where}.{key}: must be one of {', '.join(choices)}, got {value!r}")
        return ""
    return str(value)


def parse_item(item: object, where: str, problems: list[str]) -> ItemSpec | None:
    if not isinstance(item, Mapping):
        problems.append(f"{where}: each item must be a mapping of fields")
        return None
    extra = sorted(set(item) - _ITEM_KEYS)
    if extra:
        problems.append(
            f"{where}: unknown field {extra[0]!r} (allowed: {', '.join(sorted(_ITEM_KEYS))})"
        )
    code = item.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        problems.append(f"{where}.code: use lower-case letters, digits and _ (got {code!r})")
    return ItemSpec(
        code=str(code),
        title=_text(item, "title", where, 120, problems),
        patient_text=_patient_text(item, where, problems),
        owner=_choice(item, "owner", where, OWNERS, problems),
        due_days=_due_days(item, where, problems),
        required=_flag(item, "required", where, True, problems),
        records_stop_date=_flag(item, "records_stop_date", where, False, problems),
        auto=_choice(item, "auto", where, AUTO_SOURCES, problems, optional=True),
        source=str(item.get("source", "")).strip(),
    )


def _header(data: Mapping[str, Any], name: str, problems: list[str]) -> tuple[str, int]:
    extra = sorted(set(data) - _TOP_KEYS)
    if extra:
        problems.append(f"{name}: unknown key {extra[0]!r} (allowed: items, site, version)")
    site = data.get("site")
    if not isinstance(site, str) or not _SITE.match(site):
        problems.append(f"{name}.site: give a site slug or 'default' (got {site!r})")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(f"{name}.version: must be a whole number from 1 (got {version!r})")
    return str(site), version if isinstance(version, int) else 0


def parse_template(data: object, name: str = "template") -> TemplateSpec:
    """Validate one template's data; raise TemplateError listing every problem."""
    if not isinstance(data, Mapping):
        raise TemplateError([f"{name}: the file must hold a mapping with site, version and items"])
    problems: list[str] = []
    site, version = _header(data, name, problems)
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(f"{name}.items: give at least one item")
        raw_items = []
    items = [parse_item(raw, f"{name}.items[{i}]", problems) for i, raw in enumerate(raw_items)]
    seen: set[str] = set()
    for i, spec in enumerate(items):
        if spec is not None and spec.code in seen:
            problems.append(f"{name}.items[{i}].code: {spec.code!r} is used twice")
        if spec is not None:
            seen.add(spec.code)
    if problems:
        raise TemplateError(problems)
    return TemplateSpec(site=site, version=version, items=tuple(i for i in items if i))


def load_file(path: Path) -> TemplateSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError([f"{path.name}: not valid YAML ({exc})"]) from exc
    spec = parse_template(data, path.name)
    if spec.site != path.stem:
        raise TemplateError([f"{path.name}.site: must match the file name ({path.stem!r})"])
    return spec


def load_dir(directory: Path) -> dict[str, TemplateSpec]:
    """Every template in the directory by site; all problems of all files at once."""
    templates: dict[str, TemplateSpec] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            spec = load_file(path)
        except TemplateError as exc:
            problems.extend(exc.problems)
            continue
        templates[spec.site] = spec
    if not problems and DEFAULT_SITE not in templates:
        problems.append(f"{directory}: there must be a {DEFAULT_SITE}.yaml template")
    if problems:
        raise TemplateError(problems)
    return templates


def template_for(templates: Mapping[str, TemplateSpec], site_slug: str) -> TemplateSpec:
    """The site's own template, or the default one."""
    return templates.get(site_slug) or templates[DEFAULT_SITE]
