"""Bulk Data export (Bulk Data Access IG 2.0): kick-off, the worker's run, cancel.

The worker streams each source's rows with a server-side iterator and writes
one ndjson line per resource, so memory stays flat whatever the number of
resources. After each chunk it checks whether the client cancelled; at the end
it appends one audit row (action `export`) per patient whose records it holds.
"""

import json
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from endospine.access import Action, sites_for
from endospine.accounts.models import User
from endospine.audit.models import AuditAction
from endospine.audit.services import record_many
from endospine.fhir import params
from endospine.fhir.auth import Caller
from endospine.fhir.models import ExportFile, ExportJob, ExportStatus
from endospine.fhir.outcome import FhirError
from endospine.fhir.search import registry, translated
from endospine.fhir.sources import Source
from endospine.journey.models import Patient

CHUNK = 2000
FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")


def export_dir(job_id: UUID | str) -> Path:
    return Path(settings.DATA_DIR) / "fhir-exports" / str(job_id)


def _types(raw: str) -> list[str]:
    if not raw:
        return list(registry())
    types = [t.strip() for t in raw.split(",") if t.strip()]
    unknown = [t for t in types if t not in registry()]
    if unknown:
        raise FhirError.one(
            "not-supported",
            gettext("cannot export %(types)s") % {"types": ", ".join(unknown)},
            "_type",
        )
    return types


def _since(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        return params.parse_date("_since", raw).start
    except params.ParamError as exc:
        raise FhirError.one("invalid", translated(exc), "_since") from None


KICKOFF_PARAMS = ("_type", "_since", "_outputFormat")


def export_start(
    *, caller: Caller, site_id: UUID | None, query: dict[str, str], request_url: str, strict: bool
) -> ExportJob:
    """Check the request and queue the export; the worker does the rest.

    Unknown parameters (e.g. `_typeFilter`, which is not offered) are refused
    under `Prefer: handling=strict` and ignored otherwise.
    """
    unknown = sorted(set(query) - set(KICKOFF_PARAMS))
    if unknown and strict:
        message = gettext("unknown export parameter '%(name)s'") % {"name": unknown[0]}
        raise FhirError.one("not-supported", message, unknown[0])
    if not any(s.context == "system" and "r" in s.permissions for s in caller.scopes):
        raise FhirError.one("forbidden", gettext("bulk export needs a token with system/*.rs"))
    types = _types(query.get("_type", ""))
    for kind in types:
        caller.require(kind, "r")
    if query.get("_outputFormat", FORMATS[0]) not in FORMATS:
        raise FhirError.one("not-supported", gettext("only ndjson is offered"), "_outputFormat")
    site = None
    if site_id is not None:
        site = sites_for(caller.user, Action.VIEW_WORKLIST).filter(pk=site_id).first()
        if site is None:
            raise FhirError.one(
                "not-found", gettext("Group/%(id)s is not known") % {"id": site_id}, status=404
            )
    job = ExportJob.objects.create(
        user=caller.user, site=site, types=types, since=_since(query.get("_since", "")),
        request_url=request_url[:1000], status=ExportStatus.QUEUED,
    )  # fmt: skip
    from endospine.fhir.tasks import run_export

    # The database backend stores the job in this transaction: both exist, or neither.
    run_export.enqueue(str(job.pk))
    return job


def export_cancel(*, job: ExportJob) -> None:
    """Stop a running export (the worker notices at its next chunk) and remove its files."""
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.CANCELLED)
    shutil.rmtree(export_dir(job.pk), ignore_errors=True)


def _site_lookup(source: Source) -> str | None:
    if source.resource == "Organization":
        return "pk"
    if source.resource == "Practitioner":
        return "memberships__site"
    if source.patient is None:
        return None
    return "site" if source.patient in ("pk", "patient_id") else "episode__site"


def _rows(source: Source, job: ExportJob) -> QuerySet[Any]:
    qs = source.queryset(job.user)
    lookup = _site_lookup(source)
    if job.site_id is not None and lookup is not None:
        qs = qs.filter(**{lookup: job.site_id})
    if job.since is not None and source.updated:
        qs = qs.filter(**{f"{source.updated}__gte": job.since})
    return qs.order_by(*source.order)


def _chunks(rows: Iterator[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _cancelled(job: ExportJob) -> bool:
    return ExportJob.objects.filter(pk=job.pk, status=ExportStatus.CANCELLED).exists()


def _write_type(job: ExportJob, kind: str, base: str, folder: Path, seen: set[UUID]) -> int | None:
    """Write one type's file; the count, or None when the client cancelled meanwhile."""
    path, count = folder / f"{kind}.ndjson", 0
    with path.open("w", encoding="utf-8") as out:
        for source in registry()[kind]:
            for chunk in _chunks(_rows(source, job).iterator(chunk_size=CHUNK)):
                out.write("".join(_line(source, row, base) for row in chunk))
                count += len(chunk)
                if source.patient:
                    seen.update(source.patient_id(row) for row in chunk)  # type: ignore[misc]
                if _cancelled(job):
                    return None
    if count:
        ExportFile.objects.create(job=job, resource_type=kind, count=count, path=str(path))
    else:
        path.unlink()
    return count


def _line(source: Source, row: Any, base: str) -> str:
    return json.dumps(source.to_fhir(row, base), separators=(",", ":"), default=str) + "\n"


def _audit(job: ExportJob, patient_ids: set[UUID]) -> None:
    """One `export` row per patient whose records the export holds.

    Per patient rather than per resource: the question an audit answers is
    whose data left, and 100,000 resources are often a few thousand patients.
    """
    ordered = sorted(patient_ids)
    for start in range(0, len(ordered), CHUNK):
        batch = ordered[start : start + CHUNK]
        record_many(
            request=None, action=AuditAction.EXPORT, objs=[Patient(pk=pk) for pk in batch],
            patient_ids=batch, detail=f"fhir export {job.pk}", actor=job.user,
        )  # fmt: skip


def export_run(job_id: UUID | str) -> None:
    """The worker's part: write every requested type, then mark the job done."""
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != ExportStatus.QUEUED:
        return
    base = job.request_url.split("/fhir/R4", 1)[0] + "/fhir/R4"
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    folder = export_dir(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[UUID] = set()  # grows with patients, not with resources
    try:
        for n, kind in enumerate(job.types, 1):
            ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
                progress=f"{kind} ({n} of {len(job.types)} types)"
            )
            if _write_type(job, kind, base, folder, seen) is None:
                shutil.rmtree(folder, ignore_errors=True)
                return
        _audit(job, seen)
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error="export failed"
        )
        raise
    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE, finished_at=timezone.now(), progress="done"
    )


def job_for(user: User, job_id: UUID) -> ExportJob:
    job = (
        ExportJob.objects.filter(pk=job_id, user=user)
        .exclude(status=ExportStatus.CANCELLED)
        .first()
    )
    if job is None:
        raise FhirError.one("not-found", gettext("no such export"), status=404)
    return job


def manifest(job: ExportJob, base: str) -> dict[str, Any]:
    return {
        "transactionTime": job.created_at.isoformat(),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": f.resource_type, "url": f"{base}/$export-file/{f.pk}", "count": f.count}
            for f in job.files.order_by("resource_type")
        ],
        "error": [],
    }
