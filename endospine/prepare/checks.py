"""A broken medicines table stops `check`, `migrate` and `runserver` (issue 16 item 11)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from endospine.prepare import medicines


@register()
def medicines_file_is_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    path = getattr(settings, "ENDOSPINE_MEDICINES_FILE", None)
    try:
        medicines.load(Path(path)) if path else medicines.load()
    except medicines.MedicinesError as exc:
        return [Error(str(exc), hint="Fix content/medicines.yaml", id="prepare.E002")]
    return []
