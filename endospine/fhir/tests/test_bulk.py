"""Bulk Data export: kick-off, polling, manifest, download with the same token, cancel."""

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from endospine.audit.models import AuditEvent
from endospine.fhir.tests.helpers import auth, token, validate

pytestmark = pytest.mark.django_db
ASYNC = {"HTTP_PREFER": "respond-async"}


def run_worker() -> None:
    call_command("worker", "--batch", "--interval", "0")


def kickoff(client: Client, raw: str, path: str = "$export") -> Any:
    return client.get(f"/fhir/R4/{path}", **auth(raw), **ASYNC)


def status_path(response: Any) -> str:
    return response["Content-Location"].split("/fhir/R4/", 1)[1]


def export(client: Client, raw: str, path: str = "$export") -> dict[str, list[dict[str, Any]]]:
    started = kickoff(client, raw, path)
    assert started.status_code == 202, started.content
    polled = client.get(f"/fhir/R4/{status_path(started)}", **auth(raw))
    assert polled.status_code == 202 and polled["X-Progress"]
    run_worker()
    done = client.get(f"/fhir/R4/{status_path(started)}", **auth(raw))
    assert done.status_code == 200
    manifest = done.json()
    assert manifest["requiresAccessToken"] is True
    files: dict[str, list[dict[str, Any]]] = {}
    for output in manifest["output"]:
        got = client.get(output["url"].split("testserver")[1], **auth(raw))
        lines = b"".join(got.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
        files[output["type"]] = [json.loads(line) for line in lines]
        assert len(lines) == output["count"]
    return files


def test_system_export_writes_valid_ndjson_of_the_users_sites(client: Client, cast: Any) -> None:
    raw = token(cast.nurse, "system/*.rs")
    files = export(client, raw)
    for resources in files.values():
        for resource in resources:
            validate(resource)
    assert {p["id"] for p in files["Patient"]} == {str(cast.pat.pk), str(cast.quinn.pk)}
    exported = AuditEvent.objects.filter(action="export", record_type="journey.patient")
    assert exported.count() == 2 and exported.first().actor == cast.nurse  # type: ignore[union-attr]


def test_group_export_honours_type_and_since(client: Client, cast: Any) -> None:
    raw = token(cast.nurse_south, "system/*.rs")
    files = export(client, raw, f"Group/{cast.south.pk}/$export?_type=Patient,EpisodeOfCare")
    assert set(files) == {"Patient", "EpisodeOfCare"}
    assert [p["id"] for p in files["Patient"]] == [str(cast.sid.pk)]
    # Sites carry no change time, so _since cannot leave them out (docs/fhir.md).
    later = export(client, raw, f"Group/{cast.south.pk}/$export?_since=2999-01-01")
    assert set(later) == {"Organization"}
    assert kickoff(client, raw, f"Group/{cast.north.pk}/$export").status_code == 404


def test_export_needs_system_scope_async_and_known_types(client: Client, cast: Any) -> None:
    assert kickoff(client, token(cast.nurse, "user/*.rs")).status_code == 403
    raw = token(cast.nurse, "system/*.rs")
    assert client.get("/fhir/R4/$export", **auth(raw)).status_code == 400
    bad = kickoff(client, raw, "$export?_type=Spaceship")
    assert bad.status_code == 400 and bad.json()["issue"][0]["expression"] == ["_type"]
    strict = client.get(
        "/fhir/R4/$export?_typeFilter=x", **auth(raw), HTTP_PREFER="respond-async, handling=strict"
    )
    assert strict.status_code == 400 and strict.json()["issue"][0]["expression"] == ["_typeFilter"]
    assert client.get("/fhir/R4/$export?_typeFilter=x", **auth(raw), **ASYNC).status_code == 202


def test_files_need_the_same_user_and_delete_cancels(client: Client, cast: Any) -> None:
    raw = token(cast.nurse, "system/*.rs")
    started = kickoff(client, raw)
    run_worker()
    manifest = client.get(f"/fhir/R4/{status_path(started)}", **auth(raw)).json()
    url = manifest["output"][0]["url"].split("testserver")[1]
    other = token(cast.coordinator, "system/*.rs")
    assert client.get(url, **auth(other)).status_code == 404
    assert client.get(f"/fhir/R4/{status_path(started)}", **auth(other)).status_code == 404
    assert client.delete(f"/fhir/R4/{status_path(started)}", **auth(raw)).status_code == 202
    assert client.get(f"/fhir/R4/{status_path(started)}", **auth(raw)).status_code == 404
    gone = client.get(url, **auth(raw))
    assert gone.status_code == 410 and gone.json()["issue"][0]["code"] == "deleted"
