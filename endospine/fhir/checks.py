"""System check fhir.E001: the FHIR code file loads and is complete."""

from typing import Any

import yaml
from django.core.checks import CheckMessage, Error

from endospine.fhir import codes


def check_codes(**kwargs: Any) -> list[CheckMessage]:
    path = codes.codes_path()
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        return [Error(f"{path}: {exc}", id="fhir.E001")]
    return [Error(f"{path}: {problem}", id="fhir.E001") for problem in codes.problems(data)]
