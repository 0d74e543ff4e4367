"""POST /api/v1/assessment/evaluate: public, stateless, rate-limited, strict."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from endospine.assess.models import Assessment, Intake
from endospine.assess.tests.vignettes import BASE, VIGNETTES
from endospine.audit.models import AuditEvent
from endospine.testing import well_inside_a_minute

URL = "/api/v1/assessment/evaluate"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


def post(data: Any, client: Client | None = None, **extra: Any) -> Any:
    body = data if isinstance(data, str) else json.dumps(data)
    return (client or Client()).post(URL, body, content_type="application/json", **extra)


def test_anonymous_caller_gets_the_contract_shape() -> None:
    response = post(BASE)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "recommendation",
        "urgency",
        "approach",
        "rules",
        "alternatives",
        "ruleset_version",
    }
    assert (body["recommendation"], body["urgency"], body["approach"]) == (
        "endoscopic_candidate",
        "elective",
        "transforaminal",
    )
    assert body["rules"][0]["id"] == "candidate" and body["rules"][0]["rationale"]
    assert body["ruleset_version"] == "1.1.0"


@pytest.mark.parametrize("vignette", VIGNETTES[::4], ids=[v.name for v in VIGNETTES[::4]])
def test_api_agrees_with_the_vignettes(vignette: Any) -> None:
    body = post(vignette.data()).json()
    assert (body["recommendation"], body["urgency"], body["approach"]) == (
        vignette.recommendation,
        vignette.urgency,
        vignette.approach,
    )


def test_missing_imaging_means_none() -> None:
    data = {k: v for k, v in BASE.items() if k != "imaging"}
    assert post(data).json()["recommendation"] == "obtain_imaging"


def test_nothing_is_stored() -> None:
    post(BASE)
    assert not Intake.objects.exists() and not Assessment.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"leg_pain": 11}, "leg_pain"),
        ({"back_pain": -1}, "back_pain"),
        ({"age": "old"}, "age"),
        ({"symptom_weeks": -3}, "symptom_weeks"),
        ({"conservative_care_weeks": None}, "conservative_care_weeks"),
        ({"motor_deficit": "weak"}, "motor_deficit"),
        ({"cauda_equina_signs": "maybe"}, "cauda_equina_signs"),
        ({"red_flags": ["night_pain"]}, "red_flags.0"),
        ({"spondylolisthesis_grade": 5}, "spondylolisthesis_grade"),
        ({"dynamic_instability": "no"}, "dynamic_instability"),
        ({"scoliosis_cobb": -1}, "scoliosis_cobb"),
        ({"prior_surgery_same_level": 2}, "prior_surgery_same_level"),
        ({"high_iliac_crest": "n"}, "high_iliac_crest"),
        ({"imaging": {"modality": "pet"}}, "imaging.modality"),
        (
            {
                "imaging": {
                    "modality": "mri",
                    "concordant": True,
                    "findings": [
                        {"level": "L4-L5", "pathology": "disc_herniation", "zone": "lateral"}
                    ],
                }
            },
            "imaging.findings.0.zone",
        ),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_field_is_422_naming_it(change: dict[str, Any], field: str) -> None:
    response = post(BASE | change)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_missing_field_is_422_naming_it() -> None:
    data = {k: v for k, v in BASE.items() if k != "cauda_equina_signs"}
    response = post(data)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["cauda_equina_signs"]


def test_malformed_json_is_refused_without_a_500() -> None:
    response = post("{not json")
    assert response.status_code in (400, 422)
    assert "errors" in response.json()


def test_rate_limited_per_address(settings: Any) -> None:
    settings.RATE_LIMIT_PER_MINUTE = 3
    well_inside_a_minute()
    client = Client()
    codes = [post(BASE, client, REMOTE_ADDR="10.0.0.7").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert post(BASE, client, REMOTE_ADDR="10.0.0.8").status_code == 200
