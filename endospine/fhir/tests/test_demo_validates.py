"""The whole demo database, read through every search type and a bulk export, validates.

Validated by fhir.resources (R4B models) and fhirclient 4.x (R4, strict): code
nobody here wrote. One test, one demo load, to keep the suite fast.
"""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from endospine.accounts.models import User
from endospine.fhir.search import registry, supported_params
from endospine.fhir.tests.helpers import auth, token, validate
from endospine.fhir.tests.test_bulk import export
from endospine.journey.models import Patient

pytestmark = pytest.mark.django_db


def everything(client: Client, raw: str, query: str) -> list[dict[str, Any]]:
    """Every resource a search matches, following next links; each page validated."""
    found, url = [], query
    while url:
        page = client.get(f"/fhir/R4/{url}", **auth(raw))
        assert page.status_code == 200, (url, page.content[:300])
        bundle = page.json()
        validate(bundle)
        found += [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]
        links = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        url = links[0].split("/fhir/R4/", 1)[1] if links else ""
    return found


def _values(resource: dict[str, Any], name: str) -> list[str]:
    if name == "code":
        codes = (
            resource["code"]
            if isinstance(resource.get("code"), list)
            else resource.get("code", {}).get("coding", [])
        )
        return [f"{c['system']}|{c['code']}" for c in codes]
    return [resource["status"]] if "status" in resource else []


def test_demo_reads_and_exports_valid_fhir(client: Client, settings: Any) -> None:
    settings.STAFF_REQUIRE_2FA = False
    call_command("load_content", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    raw = token(User.objects.get(username="nurse_kim"), "user/*.rs system/*.rs")
    patients = [str(pk) for pk in Patient.objects.values_list("pk", flat=True)]
    seen: dict[str, set[str]] = {}
    for kind in registry():
        every = everything(client, raw, f"{kind}?_count=20")
        ids = {r["id"] for r in every}
        seen[kind] = ids
        assert len(ids) == len(every)
        for resource in every[:3]:  # reads: a few per type (search already served them all)
            assert client.get(f"/fhir/R4/{kind}/{resource['id']}", **auth(raw)).json() == resource
        names = supported_params(kind)
        if ids:
            assert {
                r["id"] for r in everything(client, raw, f"{kind}?_id={','.join(sorted(ids)[:5])}")
            } == set(sorted(ids)[:5])
            assert {
                r["id"] for r in everything(client, raw, f"{kind}?_lastUpdated=ge2000-01-01")
            } <= ids
        if "patient" in names:
            per_patient: set[str] = set()
            for pid in patients:
                per_patient |= {
                    r["id"] for r in everything(client, raw, f"{kind}?patient={pid}&_count=500")
                }
            assert per_patient == ids
        if "subject" in names:
            assert {
                r["id"] for r in everything(client, raw, f"{kind}?subject=Patient/{patients[0]}")
            } <= ids
        if "date" in names:
            assert {r["id"] for r in everything(client, raw, f"{kind}?date=ge1900-01-01")} <= ids
        for name in ("code", "status"):
            if name in names:
                for value in {v for r in every for v in _values(r, name)}:
                    matched = everything(client, raw, f"{kind}?{name}={value}")
                    assert matched, (kind, name, value)
                    assert all(value in _values(r, name) for r in matched)
    assert all(
        seen[k]
        for k in (
            "Patient",
            "Observation",
            "Procedure",
            "QuestionnaireResponse",
            "Flag",
            "CarePlan",
            "DocumentReference",
        )
    )
    files = export(client, raw)
    for kind, resources in files.items():
        for resource in resources:
            validate(resource)
        assert {r["id"] for r in resources} == seen[kind]
