"""Finding 6: odd text (a lone surrogate, NUL, other control characters) gets 422 naming the field.

Before the shared check (endospine/core/text.py) a surrogate in operative
notes or an addendum gave 500 on SQLite and left a note that could never be
shown again; NUL in a check-in's free text, a stage reason, a registration
name, an addendum or operative notes gave 500 on PostgreSQL. Every text
input now refuses both, through the API's parser and the pages' middleware.
"""

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from endospine.accounts.models import ApiToken
from endospine.core import clock
from endospine.core.text import text_problem
from endospine.journey.models import Episode, Stage
from endospine.operate.models import OperativeRecord
from endospine.operate.tests.helpers import in_theatre, record_payload, signed_record
from endospine.recover.models import Checkin
from endospine.recover.services import start_recovery

ODD = ["x\ud800", "a\u0000b", "bell\u0007"]


def bearer(user: Any) -> Client:
    _, raw = ApiToken.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, url: str, body: Any, method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def assert_refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.content[:300]
    assert field in [e["field"] for e in response.json()["errors"]], response.json()


@pytest.mark.parametrize("value", ["plain", "tab\tnew\nline\r", "accents éñ 中文 🙂"])
def test_ordinary_text_passes(value):
    assert text_problem(value) is None


@pytest.mark.parametrize("value", ODD)
def test_odd_text_is_named(value):
    assert text_problem(value)


@pytest.mark.parametrize("value", ODD)
def test_checkin_free_text(cast, value):
    Episode.objects.filter(pk=cast.episode.pk).update(
        stage=Stage.RECOVER, surgery_date=date.today() - timedelta(days=2)
    )
    cast.episode.refresh_from_db()
    start_recovery(episode=cast.episode, discharged_at=clock.now(), actor=cast.nurse)
    url = f"/api/v1/episodes/{cast.episode.pk}/checkins"
    assert_refused(post(bearer(cast.pat.user), url, {"free_text": value}), "free_text")
    assert not Checkin.objects.exists()


@pytest.mark.parametrize("value", ODD)
def test_stage_reason(cast, value):
    url = f"/api/v1/episodes/{cast.episode.pk}/stage"
    body = {"stage": "prepare", "reason": value}
    assert_refused(post(bearer(cast.surgeon), url, body), "reason")
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.ASSESS


@pytest.mark.parametrize("value", ODD)
def test_operative_notes_and_surgeons(cast, value):
    in_theatre(cast.episode)
    url = f"/api/v1/episodes/{cast.episode.pk}/operative-record"
    for field in ("notes", "surgeons"):
        response = post(bearer(cast.surgeon), url, record_payload(**{field: value}))
        assert_refused(response, field)
    assert not OperativeRecord.objects.exists()


@pytest.mark.parametrize("value", ODD)
def test_addendum(cast, value):
    signed_record(cast.episode, cast.surgeon)
    url = f"/api/v1/episodes/{cast.episode.pk}/operative-record/addenda"
    assert_refused(post(bearer(cast.surgeon), url, {"text": value}), "text")
    assert (
        cast.client_for(cast.surgeon).get(f"/operate/{cast.episode.pk}/record/note/").status_code
        == 200
    )


@pytest.mark.parametrize("value", ODD)
def test_registration_name(cast, value):
    body = {
        "site": str(cast.north.pk), "given_name": "Ann", "family_name": value,
        "date_of_birth": "1970-01-01", "mrn": "MRN-ODD", "username": "ann_odd", "title": "Back",
    }  # fmt: skip
    assert_refused(post(bearer(cast.nurse), "/api/v1/patients", body), "family_name")


@pytest.mark.parametrize("value", ["a\u0000b", "bell\u0007"])
def test_a_page_refuses_the_field_with_422_and_names_it(cast, value):
    client = cast.client_for(cast.surgeon)
    url = f"/episodes/{cast.episode.pk}/stage/"
    response = client.post(url, {"stage": "prepare", "reason": value})
    assert response.status_code == 422
    assert b"reason" in response.content
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.ASSESS


def test_operative_form_page_refuses_nul_in_notes(cast):
    in_theatre(cast.episode)
    data = {k: v for k, v in record_payload().items() if isinstance(v, str)}
    data["notes"] = "a\u0000b"
    response = cast.client_for(cast.surgeon).post(f"/operate/{cast.episode.pk}/record/", data)
    assert response.status_code == 422 and b"notes" in response.content
    assert not OperativeRecord.objects.exists()
