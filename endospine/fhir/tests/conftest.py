from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Export files go to the test's own directory, not ./var."""
    settings.DATA_DIR = tmp_path
