"""The cost of a check-in in database round trips, pinned (docs/recover.md, "Cost of a check-in").

Each test runs inside pytest-django's transaction, so the check-in's own
transaction shows as SAVEPOINT / RELEASE SAVEPOINT where production sends
BEGIN / COMMIT: the captured statements are the round trips. A write outside
that pair would be a second commit.
"""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from endospine.accounts.models import ApiToken
from endospine.api.auth import forget_tokens
from endospine.audit.models import AuditEvent
from endospine.journey.models import Episode
from endospine.recover.models import Alert, Checkin, Notification

ROUTINE = {"pain_back": 2, "pain_leg": 1, "temperature_c": 36.8}
URGENT = {"pain_back": 2, "wound_drainage": "cloudy"}
EMERGENCY = {"saddle_numbness": True}


@pytest.fixture
def patient_api(cast: Any, recovering: Episode) -> Client:
    forget_tokens()
    cast.nurse.email = "nina@north.example"
    cast.nurse.save()
    _, raw = ApiToken.issue(cast.pat.user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client: Client, episode: Episode, body: dict[str, Any], key: str) -> Any:
    return client.post(
        f"/api/v1/episodes/{episode.pk}/checkins",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def _measure(client: Client, episode: Episode, body: dict[str, Any], key: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = _post(client, episode, body, key)
    assert response.status_code == 201, response.content
    return [q["sql"] for q in ctx.captured_queries]


def _one_transaction(statements: list[str]) -> None:
    """Every write sits between the one SAVEPOINT and its RELEASE (one commit in production)."""
    opened = [i for i, s in enumerate(statements) if s.startswith("SAVEPOINT")]
    released = [i for i, s in enumerate(statements) if s.startswith("RELEASE SAVEPOINT")]
    assert len(opened) == len(released) == 1, statements
    writes = [i for i, s in enumerate(statements) if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert all(opened[0] < i < released[0] for i in writes), statements


# Round trips per check-in, token remembered: episode read, BEGIN, claim the
# slot, insert the check-in, its audit row, COMMIT. An alert adds its row, its
# audit row, the nurse's address, and the outbox row (insert, check, job).
# Grouping (issue 11) adds: the lock on the open alert, the link from the check-in to
# its alert, and the on-call contact read.
EXPECTED = {"routine": 6, "urgent": 15, "emergency": 15}


@pytest.mark.parametrize(
    ("level", "body"), [("routine", ROUTINE), ("urgent", URGENT), ("emergency", EMERGENCY)]
)
def test_round_trips_per_checkin(
    patient_api: Client, recovering: Episode, level: str, body: dict[str, Any]
) -> None:
    _post(patient_api, recovering, ROUTINE, "warm-up")  # the token is now remembered
    statements = _measure(patient_api, recovering, body, f"k-{level}")
    assert len(statements) == EXPECTED[level], "\n".join(statements)
    _one_transaction(statements)
    checkin = Checkin.objects.get(idempotency_key=f"k-{level}")
    assert checkin.level == level
    assert Alert.objects.filter(checkin=checkin).exists() == (level != "routine")
    assert AuditEvent.objects.filter(record_id=str(checkin.pk), action="create").count() == 1
    if level != "routine":
        assert Notification.objects.filter(alert__checkin=checkin).count() == 1


def test_a_cold_token_costs_one_lookup_and_no_commit_of_its_own(
    patient_api: Client, recovering: Episode
) -> None:
    statements = _measure(patient_api, recovering, ROUTINE, "cold")
    # The token lookup (with its once-a-minute last-used stamp folded into the
    # same statement on PostgreSQL) is the one extra round trip.
    expected = 7 if connection.vendor == "postgresql" else 8
    assert len(statements) == expected, "\n".join(statements)
    assert ApiToken.objects.get(user__username="pat").last_used_at is not None


def test_a_replayed_key_answers_the_stored_checkin_without_a_second_row(
    patient_api: Client, recovering: Episode
) -> None:
    first = _post(patient_api, recovering, EMERGENCY, "same")
    again = _post(patient_api, recovering, EMERGENCY, "same")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Checkin.objects.filter(idempotency_key="same").count() == 1
    assert Alert.objects.filter(checkin__idempotency_key="same").count() == 1
