"""fhirclient and fhirpy, real clients nobody here wrote, against a live server.

Read, search with paging, bulk export, and a patient token that cannot reach
another patient's resources, through both clients.
"""

import json
from typing import Any

import pytest
import requests
from django.core.management import call_command
from fhirclient.models.bundle import Bundle
from fhirclient.models.episodeofcare import EpisodeOfCare
from fhirclient.models.fhirelementfactory import FHIRElementFactory
from fhirclient.models.patient import Patient as FcPatient
from fhirclient.server import FHIRNotFoundException, FHIRServer
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import ResourceNotFound

from endospine.fhir.tests.helpers import token
from endospine.journey.models import Stage
from endospine.testing import make_episode

pytestmark = pytest.mark.django_db(transaction=True)


_OPEN: list[FHIRServer] = []


@pytest.fixture(autouse=True)
def _close_sessions() -> Any:
    """Close keep-alive connections before the live server's database goes away."""
    yield
    while _OPEN:
        _OPEN.pop().session.close()


def fhirclient_for(live_server: Any, raw: str) -> FHIRServer:
    server = FHIRServer(None, base_uri=f"{live_server.url}/fhir/R4/")
    server.session.headers["Authorization"] = f"Bearer {raw}"
    _OPEN.append(server)
    return server


def fhirpy_for(live_server: Any, raw: str) -> SyncFHIRClient:
    return SyncFHIRClient(f"{live_server.url}/fhir/R4", authorization=f"Bearer {raw}")


@pytest.fixture
def crowd(cast: Any) -> Any:
    for _ in range(5):  # enough episodes for several pages of two
        make_episode(cast.quinn, stage=Stage.LEARN)
    return cast


def test_fhirclient_reads_and_pages_strictly(live_server: Any, crowd: Any) -> None:
    server = fhirclient_for(live_server, token(crowd.nurse, "user/*.rs"))
    server.get_capability()
    patient = FcPatient.read(str(crowd.pat.pk), server)
    assert patient.identifier[0].value == crowd.pat.mrn
    search = EpisodeOfCare.where({"_count": "2"})
    bundles = list(search.perform_iter(server))
    assert len(bundles) == 4 and all(isinstance(b, Bundle) for b in bundles)
    ids = [entry.resource.id for b in bundles for entry in b.entry]
    assert len(set(ids)) == bundles[0].total == 7


def test_fhirpy_searches_with_paging_and_reads(live_server: Any, crowd: Any) -> None:
    client = fhirpy_for(live_server, token(crowd.nurse, "user/*.rs"))
    everything = (
        client.resources("EpisodeOfCare").search(patient=str(crowd.quinn.pk)).limit(2).fetch_all()
    )
    assert len(everything) == 6
    patient = client.reference("Patient", str(crowd.pat.pk)).to_resource()
    assert patient["name"][0]["family"] == "Doe"


def test_patient_token_cannot_read_another_patient_through_either_client(
    live_server: Any, cast: Any
) -> None:
    raw = token(cast.pat.user, "patient/*.rs")
    server = fhirclient_for(live_server, raw)
    with pytest.raises(FHIRNotFoundException):
        FcPatient.read(str(cast.quinn.pk), server)
    assert FcPatient.read(str(cast.pat.pk), server).id == str(cast.pat.pk)
    others = next(EpisodeOfCare.where({"patient": str(cast.quinn.pk)}).perform_iter(server))
    assert others.total == 0
    client = fhirpy_for(live_server, raw)
    with pytest.raises(ResourceNotFound):
        client.reference("Patient", str(cast.quinn.pk)).to_resource()
    assert client.resources("EpisodeOfCare").search(patient=str(cast.quinn.pk)).fetch_all() == []
    mine = client.resources("EpisodeOfCare").fetch_all()
    assert [e["id"] for e in mine] == [str(cast.episode.pk)]


def test_bulk_export_through_both_clients(live_server: Any, cast: Any) -> None:
    raw = token(cast.nurse, "system/*.rs")
    server = fhirclient_for(live_server, raw)
    started = server.session.get(
        f"{live_server.url}/fhir/R4/$export", headers={"Prefer": "respond-async"}
    )
    assert started.status_code == 202
    status = started.headers["Content-Location"]
    client = fhirpy_for(live_server, raw)
    path = status.split("/fhir/R4/", 1)[1]
    assert client.execute(path, method="get") is None  # 202: still running
    call_command("worker", "--batch", "--interval", "0")
    manifest = client.execute(path, method="get")
    assert {o["type"] for o in manifest["output"]} >= {"Patient", "EpisodeOfCare", "Organization"}
    for output in manifest["output"]:
        got = server.session.get(output["url"])
        assert got.status_code == 200
        for line in got.text.splitlines():
            data = json.loads(line)
            FHIRElementFactory.instantiate(data["resourceType"], data)  # strict R4 parse
    refused = requests.get(manifest["output"][0]["url"], timeout=10)
    assert refused.status_code == 401
