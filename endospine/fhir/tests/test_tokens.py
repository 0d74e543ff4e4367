"""`endospine token create --scope` and how scopes are parsed."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from endospine.accounts.models import ApiToken
from endospine.fhir import scopes


def test_scopes_parse_v2_and_v1_forms() -> None:
    parsed = scopes.parse("patient/*.rs user/Observation.read system/*.cruds")
    assert scopes.allows(parsed, "Flag", "r") and scopes.allows(parsed, "Observation", "s")
    assert not scopes.allows(parsed[:2], "Flag", "c")
    for bad in ("user/*.sr", "user/*", "admin/*.rs", "user/patient.rs"):
        with pytest.raises(scopes.ScopeError):
            scopes.parse(bad)


@pytest.mark.django_db
def test_token_create_stores_checked_scopes(cast: Any) -> None:
    out = StringIO()
    call_command("token", "create", cast.nurse.username, "--scope", "user/*.rs", stdout=out)
    assert ApiToken.find(out.getvalue().strip()).scope == "user/*.rs"  # type: ignore[union-attr]
    with pytest.raises(CommandError, match="patient/ scopes"):
        call_command("token", "create", cast.nurse.username, "--scope", "patient/*.rs")
    with pytest.raises(CommandError, match="not a SMART scope"):
        call_command("token", "create", cast.nurse.username, "--scope", "everything")


@pytest.mark.django_db
def test_unscoped_tokens_keep_working_on_api_v1(client: Any, cast: Any) -> None:
    raw = ApiToken.issue(cast.nurse)[1]
    response = client.get(f"/api/v1/episodes/{cast.episode.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
