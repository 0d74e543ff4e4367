"""Bulk Data endpoints: kick-off, status (poll, manifest, DELETE to cancel), file download."""

from pathlib import Path
from uuid import UUID

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext

from endospine.fhir import bulk
from endospine.fhir.auth import authenticate
from endospine.fhir.models import ExportFile, ExportStatus
from endospine.fhir.outcome import FhirError, Issue, fhir_response, operation_outcome
from endospine.fhir.views import base_url, fhir_view, strict


@fhir_view("GET")
def kickoff(request: HttpRequest, site_id: UUID | None = None) -> HttpResponse:
    caller = authenticate(request)
    if "respond-async" not in request.headers.get("Prefer", ""):
        raise FhirError.one(
            "invalid", gettext("bulk export needs the header Prefer: respond-async"), "Prefer"
        )
    job = bulk.export_start(
        caller=caller, site_id=site_id, query=request.GET.dict(),
        request_url=request.build_absolute_uri(), strict=strict(request),
    )  # fmt: skip
    response = HttpResponse(status=202)
    response["Content-Location"] = f"{base_url(request)}/$export-status/{job.pk}"
    return response


@fhir_view("GET", "DELETE")
def status(request: HttpRequest, job_id: UUID) -> HttpResponse:
    caller = authenticate(request)
    job = bulk.job_for(caller.user, job_id)
    if request.method == "DELETE":
        bulk.export_cancel(job=job)
        return HttpResponse(status=202)
    if job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        response = HttpResponse(status=202)
        response["X-Progress"] = job.progress or job.status
        response["Retry-After"] = "2"
        return response
    if job.status == ExportStatus.FAILED:
        issue = Issue("exception", gettext("the export failed; start a new one"))
        return fhir_response(operation_outcome([issue]), 500)
    return fhir_response(bulk.manifest(job, base_url(request)))


@fhir_view("GET")
def download(request: HttpRequest, file_id: UUID) -> FileResponse:
    caller = authenticate(request)
    found = (
        ExportFile.objects.select_related("job").filter(pk=file_id, job__user=caller.user).first()
    )
    if found is None:
        raise FhirError.one("not-found", gettext("no such export file"), status=404)
    if found.job.status != ExportStatus.DONE or not Path(found.path).exists():
        raise FhirError.one("deleted", gettext("this export was cancelled or removed"), status=410)
    return FileResponse(Path(found.path).open("rb"), content_type="application/fhir+ndjson")
