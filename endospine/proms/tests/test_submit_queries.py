"""The cost of one PROM submission in database round trips, pinned (docs/proms.md).

Inside pytest-django's transaction the submission's transaction shows as
SAVEPOINT / RELEASE SAVEPOINT (BEGIN / COMMIT in production).
"""

import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from endospine.accounts.models import ApiToken
from endospine.api.auth import forget_tokens
from endospine.proms.models import Response, Timepoint
from endospine.proms.services import questionnaire_for_submission
from endospine.proms.tests.helpers import ODI_32, in_recovery


def test_round_trips_per_prom_submission(cast: Any) -> None:
    in_recovery(cast.episode)
    forget_tokens()
    _, raw = ApiToken.issue(cast.pat.user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/episodes/{cast.episode.pk}/proms"

    def submit(instrument: str, answers: dict[str, Any]) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                url, json.dumps({"instrument": instrument, "answers": answers}),
                content_type="application/json",
            )  # fmt: skip
        assert response.status_code == 201, response.content
        return [q["sql"] for q in ctx.captured_queries]

    submit("nrs_back", {"pain": 4})  # the token is now remembered
    questionnaire_for_submission("nrs_leg")  # and the questionnaire (60 s, per process)
    statements = submit("nrs_leg", {"pain": 6})
    # Episode read, BEGIN, the locked timepoints (with what they already have),
    # insert the response, its audit row, COMMIT: 6. The outcomes registry (issue 12)
    # refreshes the episode's derived rows inside the same transaction: 12 more, a
    # known cost to move to the worker (docs/measure.md).
    assert len(statements) == 18, "\n".join(statements)
    # Still one commit: everything sits inside the first savepoint (BEGIN in production).
    outer = statements[1].split()[1]
    assert statements[1].startswith("SAVEPOINT")
    assert statements[-1] == f"RELEASE SAVEPOINT {outer}", statements[-1]
    assert Response.objects.filter(episode=cast.episode).count() == 2


def test_the_last_instrument_completes_the_timepoint(cast: Any) -> None:
    in_recovery(cast.episode)
    client = cast.client_for(cast.pat.user)
    url = f"/api/v1/episodes/{cast.episode.pk}/proms"
    for instrument, answers in [("nrs_leg", {"pain": 6}), ("nrs_back", {"pain": 3})]:
        body = json.dumps({"instrument": instrument, "answers": answers})
        assert client.post(url, body, content_type="application/json").status_code == 201
    assert not Timepoint.objects.filter(episode=cast.episode, completed_at__isnull=False).exists()
    body = json.dumps({"instrument": "odi", "answers": ODI_32})
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert Timepoint.objects.filter(episode=cast.episode, completed_at__isnull=False).count() == 1
