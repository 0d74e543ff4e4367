"""The cost of one checklist tick in database round trips, pinned (docs/prepare.md)."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from endospine.accounts.models import ApiToken
from endospine.api.auth import forget_tokens
from endospine.journey.models import Episode
from endospine.prepare.models import ItemState
from endospine.prepare.tests.conftest import item


def test_round_trips_per_tick(cast: Any, preparing: Episode) -> None:
    forget_tokens()
    _, raw = ApiToken.issue(cast.pat.user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def tick(code: str) -> list[str]:
        url = f"/api/v1/episodes/{preparing.pk}/checklist/items/{item(preparing, code).pk}/tick"
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, "{}", content_type="application/json")
        assert response.status_code == 200, response.content
        return [q["sql"] for q in ctx.captured_queries]

    tick("escort_home")  # the token is now remembered
    statements = tick("escort_home")
    # Episode read, item read (which action it needs), BEGIN, one conditional
    # UPDATE, the audit row and the timeline event, COMMIT.
    assert len(statements) == 7, "\n".join(statements)
    assert sum(s.startswith("RELEASE SAVEPOINT") for s in statements) == 1
    assert item(preparing, "escort_home").state == ItemState.DONE
