"""The perioperative medicines table (content/medicines.yaml): per-drug stop and
restart intervals with their sources (issue 16 item 11). Pure: no Django imports.

Staff read it on the checklist beside the `medication_review` item; the
prescriber decides for each patient. A bad file is refused as a whole."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "content" / "medicines.yaml"
GROUPS = ("anticoagulant", "antiplatelet", "diabetes_weight")
_TEXT_KEYS = ("code", "name", "group", "restart", "prescriber_flag", "source")


class MedicinesError(ValueError):
    """The medicines file is invalid; the message lists every problem."""


@dataclass(frozen=True)
class Drug:
    code: str
    name: str
    group: str
    stop_before: int  # days before surgery; 0 means "not stopped"
    restart: str
    prescriber_flag: str
    source: str


@dataclass(frozen=True)
class Table:
    version: int
    drugs: tuple[Drug, ...]


def _drug(raw: Any, number: int, problems: list[str]) -> Drug | None:
    where = f"drug {number} ({raw.get('code', '?') if isinstance(raw, dict) else '?'})"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    missing = [k for k in _TEXT_KEYS if not isinstance(raw.get(k), str) or not raw[k].strip()]
    if missing:
        problems.append(f"{where}: needs {', '.join(missing)}")
    stop = raw.get("stop_before")
    if not isinstance(stop, int) or isinstance(stop, bool) or not 0 <= stop <= 30:
        problems.append(f"{where}: stop_before must be a number of days from 0 to 30")
    if raw.get("group") not in GROUPS:
        problems.append(f"{where}: group must be one of {', '.join(GROUPS)}")
    if missing or problems:
        return None
    return Drug(
        code=raw["code"], name=raw["name"], group=raw["group"], stop_before=int(stop or 0),
        restart=raw["restart"].strip(), prescriber_flag=" ".join(raw["prescriber_flag"].split()),
        source=raw["source"].strip(),
    )  # fmt: skip


def parse(data: Any) -> Table:
    if not isinstance(data, dict) or not isinstance(data.get("drugs"), list):
        raise MedicinesError("the medicines file needs a version and a list of drugs")
    problems: list[str] = []
    drugs = [_drug(raw, n, problems) for n, raw in enumerate(data["drugs"], start=1)]
    codes = [d.code for d in drugs if d is not None]
    problems += [f"drug code {c!r} is used twice" for c in sorted(set(codes)) if codes.count(c) > 1]
    if problems:
        raise MedicinesError("; ".join(problems))
    return Table(version=int(data.get("version", 0)), drugs=tuple(d for d in drugs if d))


def load(path: Path = DEFAULT_PATH) -> Table:
    try:
        return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise MedicinesError(f"cannot read {path.name}: {exc}") from None
