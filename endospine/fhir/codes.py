"""The codes the FHIR API uses, read from content/fhir/codes.yaml (reviewed content)."""

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

LOCAL = "https://endospine.invalid/fhir"


def codes_path() -> Path:
    return Path(settings.CONTENT_DIR) / "fhir" / "codes.yaml"


def problems(data: Any) -> list[str]:
    """What is wrong with the file's content, as readable messages (empty when fine)."""
    if not isinstance(data, dict):
        return ["the file must hold a mapping"]
    systems = data.get("systems") or {}
    found = []
    for section in ("checkin_observations", "prom_scores"):
        entries = data.get(section)
        if not isinstance(entries, dict) or not entries:
            found.append(f"{section}: missing or empty")
            continue
        for key, entry in entries.items():
            coding = (entry or {}).get("code") or {}
            if coding.get("system") not in systems or not coding.get("code"):
                found.append(f"{section}.{key}.code: needs a known system and a code")
            if not (entry or {}).get("unit", {}).get("code"):
                found.append(f"{section}.{key}.unit: needs a UCUM code")
    referral = data.get("referral_codes") or {}
    stages = set((referral.get("codes") or {}).values())
    if not stages or not stages <= {"learn", "assess"}:
        found.append("referral_codes.codes: each code must open an episode at learn or assess")
    return found


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    with codes_path().open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def coding(entry: dict[str, Any]) -> dict[str, str]:
    """A FHIR Coding from a {system: key, code, display} entry of the file."""
    return {
        "system": system_url(entry["system"]),
        "code": str(entry["code"]),
        "display": str(entry["display"]),
    }


def system_url(key: str) -> str:
    url = str(load()["systems"][key])
    return url


def local_system(name: str) -> str:
    """A CodeSystem of EndoSpine's own, e.g. local_system("stage")."""
    return f"{system_url('local')}/{name}"


def checkin_observations() -> dict[str, dict[str, Any]]:
    return dict(load()["checkin_observations"])


def prom_scores() -> dict[str, dict[str, Any]]:
    return dict(load()["prom_scores"])


def referral_stage(system: str, code: str) -> str | None:
    """The stage a referral's ServiceRequest code opens an episode at, or None."""
    referral = load()["referral_codes"]
    if system != local_system("referral"):
        return None
    stage = referral["codes"].get(code)
    return str(stage) if stage else None
