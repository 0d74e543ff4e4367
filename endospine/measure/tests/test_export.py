"""`endospine export registry`: de-identified, with a data dictionary, audited."""

import csv
from pathlib import Path
from uuid import UUID

import pytest
from django.core.management import CommandError, call_command

from conftest import Cast
from endospine.audit.models import AuditEvent
from endospine.journey.models import Patient
from endospine.measure.export import COLUMNS
from endospine.measure.models import RegistryExport


def test_csv_export_is_de_identified_and_audited(
    cast: Cast, registry: list[UUID], tmp_path: Path
) -> None:
    path = tmp_path / "registry.csv"
    call_command("export", "registry", str(path), "--format", "csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(registry) * 5  # 4 follow-up timepoints + the 90-day row
    assert list(rows[0]) == COLUMNS
    text = path.read_text(encoding="utf-8")
    patient = Patient.objects.filter(episodes__pk=registry[0]).get()
    for secret in (str(registry[0]), registry[0].hex, patient.mrn, patient.family_name,
                   patient.date_of_birth.isoformat(), str(cast.surgeon.pk), "Sam"):  # fmt: skip
        assert secret not in text
    assert all(len(r["surgery_month"]) == 7 for r in rows)
    dictionary = (tmp_path / "registry.dictionary.csv").read_text(encoding="utf-8")
    assert all(column in dictionary for column in COLUMNS)
    export = RegistryExport.objects.get()
    assert AuditEvent.objects.filter(action="export", record_id=str(export.pk)).exists()


def test_parquet_needs_pyarrow_or_says_so(cast: Cast, tmp_path: Path) -> None:
    try:
        import pyarrow  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        with pytest.raises(CommandError, match="pyarrow"):
            call_command("export", "registry", str(tmp_path / "r.parquet"), "--format", "parquet")
        return
    call_command("export", "registry", str(tmp_path / "r.parquet"), "--format", "parquet")
    assert (tmp_path / "r.parquet").stat().st_size > 0
