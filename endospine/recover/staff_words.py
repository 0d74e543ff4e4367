"""The clinical words for staff, read from content/recover/staff_words.yaml (recover.E003)."""

import functools
from dataclasses import dataclass
from typing import Any

import yaml
from django.conf import settings

from endospine.recover.engine import FIELDS, RuleSet


class StaffWordsError(ValueError):
    """The file is malformed, or a triage rule has no label."""


@dataclass(frozen=True)
class StaffWords:
    version: str
    reasons: dict[str, str]
    answers: dict[str, tuple[str, str]]  # field -> (label, unit)
    values: dict[str, dict[str, str]]

    def reason(self, code: str) -> str:
        return self.reasons.get(code, code.replace("_", " "))

    def value(self, field: str, value: Any) -> str:
        return self.values.get(field, {}).get(str(value), str(value))


def parse(data: Any, ruleset: RuleSet) -> StaffWords:
    if not isinstance(data, dict) or not {"version", "reasons", "answers"} <= set(data):
        raise StaffWordsError("needs version, reasons and answers")
    reasons = {str(k): str(v) for k, v in (data["reasons"] or {}).items()}
    missing = sorted(r.id for r in ruleset.rules if r.id not in reasons)
    if missing:
        raise StaffWordsError(f"no reason label for rule(s): {', '.join(missing)}")
    answers: dict[str, tuple[str, str]] = {}
    for field, spec in (data["answers"] or {}).items():
        if field not in FIELDS or not isinstance(spec, dict) or not spec.get("label"):
            raise StaffWordsError(f"answers.{field}: an answer field with a label")
        answers[field] = (str(spec["label"]), str(spec.get("unit", "")))
    values = data.get("values") or {}
    if not all(f in FIELDS and isinstance(v, dict) for f, v in values.items()):
        raise StaffWordsError("values: a mapping of answer field -> {code: words}")
    return StaffWords(str(data["version"]), reasons, answers, values)


@functools.cache
def staff_words() -> StaffWords:
    from endospine.recover.triage import ruleset

    path = settings.CONTENT_DIR / "recover" / "staff_words.yaml"
    with path.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle), ruleset())
