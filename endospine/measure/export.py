"""The de-identified registry dataset: one row per operated episode x timepoint.

Pseudonymous ids (a keyed hash of the episode, stable for one installation's
secret key, not reversible without it), surgery month instead of dates, 5-year
age bands, codes only: no names, record numbers, dates of birth or free text.
"""

import csv
import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.measure.models import OutcomeFact, RegistryExport

DICTIONARY: list[tuple[str, str, str]] = [
    (
        "case_id",
        "text",
        "Pseudonymous episode id (keyed hash); the same episode keeps it across exports",
    ),
    ("site_id", "text", "Pseudonymous site id"),
    ("surgeon_id", "text", "Pseudonymous surgeon id"),
    ("surgery_month", "YYYY-MM", "Month of the operation"),
    ("age_band", "text", "Age at surgery in 5-year bands, e.g. 45-49; 85+ at the top"),
    ("approach", "code", "transforaminal | interlaminar | other"),
    ("level", "code", "Operated level, e.g. L4-L5, or multilevel"),
    ("diagnosis", "code", "Pathology at the operated level from the assessment findings"),
    ("same_day", "0/1/blank", "Went home the day of surgery"),
    ("timepoint", "code", "6w | 3m | 12m | 24m | 90d (adverse events)"),
    ("window_closed", "0/1", "The timepoint's window had closed on the export day"),
    ("odi_baseline", "0-100", "Oswestry Disability Index before surgery"),
    ("odi", "0-100", "ODI at the timepoint (blank: not answered in the window)"),
    ("nrs_back_baseline", "0-10", "Back pain before surgery"),
    ("nrs_back", "0-10", "Back pain at the timepoint"),
    ("nrs_leg_baseline", "0-10", "Leg pain before surgery"),
    ("nrs_leg", "0-10", "Leg pain at the timepoint"),
    ("satisfaction", "1-4", "NASS satisfaction index (1 best)"),
    ("return_to_work", "0/1", "Back at work"),
    ("followed_90d", "0/1", "Evidence of follow-up through 90 days (90d rows)"),
    ("adverse_event_90d", "0/1", "At least one registered adverse event within 90 days (90d rows)"),
    ("reoperation_90d", "0/1", "Reoperation within 90 days (90d rows)"),
]
COLUMNS = [name for name, _, _ in DICTIONARY]


def pseudonym(kind: str, value: Any) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:16]


def age_band(age: int) -> str:
    return "85+" if age >= 85 else f"{age // 5 * 5}-{age // 5 * 5 + 4}"


def _bit(value: Any) -> Any:
    return "" if value is None else int(bool(value))


def rows(today: Any) -> Iterator[dict[str, Any]]:
    """One dict per episode x timepoint, streamed in episode order."""
    facts: Any = OutcomeFact.objects.order_by("episode_id", "timepoint").values()
    current: dict[tuple[Any, str], dict[str, Any]] = {}
    last = None
    for fact in facts.iterator(chunk_size=5000):
        if last is not None and fact["episode_id"] != last:
            yield from current.values()
            current = {}
        last = fact["episode_id"]
        key = (fact["episode_id"], fact["timepoint"])
        row = current.get(key)
        if row is None:
            row = current[key] = _base_row(fact, today)
        _add(row, fact)
    yield from current.values()


def _base_row(fact: dict[str, Any], today: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    row.update(
        case_id=pseudonym("episode", fact["episode_id"]),
        site_id=pseudonym("site", fact["site_id"]),
        surgeon_id=pseudonym("surgeon", fact["surgeon_id"]),
        surgery_month=fact["surgery_date"].strftime("%Y-%m"),
        age_band=age_band(fact["age"]),
        approach=fact["approach"],
        level=fact["level"],
        diagnosis=fact["diagnosis"],
        same_day=_bit(fact["same_day"]),
        timepoint=fact["timepoint"],
        window_closed=int(fact["closes_on"] < today),
    )
    return row


def _add(row: dict[str, Any], fact: dict[str, Any]) -> None:
    measure, value = fact["measure"], fact["followup"]
    if measure in ("odi", "nrs_back", "nrs_leg"):
        row[f"{measure}_baseline"] = "" if fact["baseline"] is None else fact["baseline"]
        row[measure] = "" if value is None else value
    elif measure == "satisfaction":
        row[measure] = "" if value is None else int(value)
    elif measure == "return_to_work":
        row[measure] = _bit(value)
    elif measure == "adverse_events":
        row["followed_90d"] = int(fact["responded"])
        row["adverse_event_90d"] = _bit(value)
    elif measure == "reoperation":
        row["reoperation_90d"] = _bit(value)


def dictionary_path(path: Path) -> Path:
    return path.with_name(path.stem + ".dictionary.csv")


@transaction.atomic
def export_registry(path: Path, file_format: str, today: Any) -> RegistryExport:
    """Write the dataset and its data dictionary; audit the export."""
    data = list(rows(today))
    if file_format == "parquet":
        _write_parquet(path, data)
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(data)
    with dictionary_path(path).open("w", newline="", encoding="utf-8") as handle:
        plain = csv.writer(handle)
        plain.writerow(["column", "type", "meaning"])
        plain.writerows(DICTIONARY)
    export = RegistryExport.objects.create(
        file_format=file_format, rows=len(data), episodes=len({r["case_id"] for r in data})
    )
    record(request=None, action=AuditAction.EXPORT, obj=export, detail=f"registry {file_format}")
    return export


def _write_parquet(path: Path, data: list[dict[str, Any]]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise RuntimeError(
            "Parquet needs pyarrow: pip install pyarrow (about 55 MB), or use --format csv"
        ) from exc
    columns = {c: [None if r[c] == "" else r[c] for r in data] for c in COLUMNS}
    pq.write_table(pa.table(columns), path)
