"""GET /api/v1/outcomes: the contract, who may call it, and bad input."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from conftest import Cast
from endospine.accounts.models import User
from endospine.measure.registry import EVENT_MEASURES, GROUP_BY, MEASURES
from endospine.measure.selectors import anonymous_code

URL = "/api/v1/outcomes"
GROUP_KEYS = {
    "key", "label", "eligible", "responded", "completeness", "baseline_mean", "followup_mean",
    "change_mean", "success_n", "success_rate", "success_ci", "suppressed",
}  # fmt: skip


def _get(cast: Cast, user: User, **params: str) -> Any:
    return cast.client_for(user).get(URL, params)


def test_contract_holds_for_every_measure_and_group(cast: Cast, registry: list[UUID]) -> None:
    for measure in MEASURES:
        timepoint = "90d" if measure in EVENT_MEASURES else "12m"
        for group_by in GROUP_BY:
            response = _get(
                cast, cast.lead, measure=measure, timepoint=timepoint, group_by=group_by
            )
            assert response.status_code == 200, (measure, group_by, response.content)
            body = response.json()
            assert set(body) == {"measure", "timepoint", "definition", "min_cell", "groups"}
            assert body["definition"]["code"] == "ostelo_2008"
            assert body["definition"]["version"] == 1
            assert body["definition"]["source"].startswith("Ostelo RW")
            assert body["min_cell"] == 5
            assert body["groups"], (measure, group_by)
            for group in body["groups"]:
                assert set(group) == GROUP_KEYS
                if group["suppressed"]:
                    continue
                n = group["responded"]
                assert group["completeness"] == round(n / group["eligible"], 4)
                assert group["success_rate"] == round(group["success_n"] / n, 4)
                low, high = group["success_ci"]
                assert low <= group["success_rate"] <= high


def test_program_group_adds_up_the_surgeons(cast: Cast, registry: list[UUID]) -> None:
    program = _get(cast, cast.lead, measure="odi", timepoint="12m").json()["groups"]
    surgeons = _get(cast, cast.lead, measure="odi", timepoint="12m", group_by="surgeon").json()
    assert [g["key"] for g in program] == ["program"]
    for figure in ("eligible", "responded", "success_n"):
        assert program[0][figure] == sum(g[figure] for g in surgeons["groups"])
    assert {g["label"] for g in surgeons["groups"]} == {"Sam Surgeon", "Dr Chen"}


def test_adverse_events_count_procedures_and_events(cast: Cast, registry: list[UUID]) -> None:
    group = _get(cast, cast.lead, measure="adverse_events", timepoint="90d").json()["groups"][0]
    assert group["baseline_mean"] is None and group["change_mean"] is None
    assert 0 <= group["success_n"] <= group["responded"] <= group["eligible"]


def test_a_surgeon_sees_only_their_own_name(cast: Cast, chen: User, registry: list[UUID]) -> None:
    body = _get(cast, cast.surgeon, measure="odi", timepoint="12m", group_by="surgeon").json()
    by_key = {g["key"]: g["label"] for g in body["groups"]}
    assert by_key[str(cast.surgeon.pk)] == "Sam Surgeon"
    assert by_key[anonymous_code(chen.pk)] == anonymous_code(chen.pk)
    assert "Chen" not in str(body) and str(chen.pk) not in str(body)


@pytest.mark.parametrize("who", ["nurse", "coordinator", "admin"])
def test_other_staff_are_refused(cast: Cast, who: str) -> None:
    response = _get(cast, getattr(cast, who), measure="odi", timepoint="12m")
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == ""


def test_patients_are_refused_and_strangers_must_sign_in(cast: Cast) -> None:
    assert cast.pat.user is not None
    assert _get(cast, cast.pat.user, measure="odi", timepoint="12m").status_code == 403
    assert cast.client_for(cast.lead).__class__().get(URL).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"measure": "weight", "timepoint": "12m"}, "measure"),
        ({"measure": "odi", "timepoint": "90d"}, "timepoint"),
        ({"measure": "reoperation", "timepoint": "12m"}, "timepoint"),
        ({"measure": "odi", "timepoint": "12m", "group_by": "hospital"}, "group_by"),
        ({"measure": "odi", "timepoint": "12m", "since": "yesterday"}, "since"),
        ({"measure": "odi", "timepoint": "12m", "until": "2026-01-"}, "until"),
        ({"measure": "odi", "timepoint": "12m", "since": "2026-02-01", "until": "2026-01-01"},
         "until"),
        ({"measure": "odi", "timepoint": "12m", "definition": "made_up"}, "definition"),
        ({"measure": "odi", "timepoint": "12m", "colour": "red"}, "colour"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field(cast: Cast, params: dict[str, str], field: str) -> None:
    response = _get(cast, cast.lead, **params)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_two_definitions_side_by_side(cast: Cast, registry: list[UUID]) -> None:
    ostelo = _get(cast, cast.lead, measure="odi", timepoint="12m").json()
    norspine = _get(cast, cast.lead, measure="odi", timepoint="12m", definition="norspine_success")
    body = norspine.json()
    assert body["definition"]["code"] == "norspine_success"
    assert body["groups"][0]["responded"] == ostelo["groups"][0]["responded"]
    # 22 points is a higher bar than 10 points or 30%.
    assert body["groups"][0]["success_n"] < ostelo["groups"][0]["success_n"]


def test_since_and_until_filter_on_surgery_date(cast: Cast, registry: list[UUID]) -> None:
    whole = _get(cast, cast.lead, measure="odi", timepoint="3m").json()["groups"][0]
    future = _get(cast, cast.lead, measure="odi", timepoint="3m", since="2099-01-01").json()
    assert whole["eligible"] > 0
    # No operation in range: the one program group has nothing to show.
    assert future["groups"][0]["suppressed"] is True
    early = _get(cast, cast.lead, measure="odi", timepoint="3m", until=_year_ago()).json()
    assert 0 < early["groups"][0]["eligible"] < whole["eligible"]


def _year_ago() -> str:
    return (date.today() - timedelta(days=365)).isoformat()
