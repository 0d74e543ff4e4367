"""Every page and API operation, asked by every role of the cast. No hand-kept list.

The pages come from the URL resolver, the operations from /api/v1/openapi.json,
so a page or endpoint added later is in the matrix the day it lands. Every
`<uuid:...>` / uuid path parameter is filled with an id of Pat's episode (or
of a record of it, when one exists), every other parameter with a filler.

What must hold, whatever the page:
- anonymous callers are sent to sign in (pages) or get 401 (API), unless the
  operation is public (no `security` in OpenAPI; a page that answers anyone);
- Quinn (another patient), Sid (a patient of South) and Nora (a nurse of South)
  get 404 on anything of Pat's; Lee (program lead) and Ada (admin) get 403 or
  404: none of them is ever shown Pat's name or record number, on any page;
- the care team of North and Pat themselves are let into the episode: the
  access hook writes no "denied 404" row for them (a 404 for a record that
  does not exist yet, or a 403 for an action their role lacks, may happen);
- a refused body never contains Pat's name or record number.
The Django admin is left to its own tests (it has no patient data models).
"""

import re
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver

from endospine.accounts.models import ApiToken
from endospine.audit.models import AuditEvent
from tests.test_read_audit import _walk, model_for

ROLES = [
    "anonymous",
    "pat",
    "quinn",
    "sid",
    "surgeon",
    "nurse",
    "coordinator",
    "nurse_south",
    "lead",
    "admin",
]
OUTSIDERS = {"quinn", "sid", "nurse_south"}  # must get 404 on anything of Pat's
NO_RECORDS = {"lead", "admin"}  # never read an individual record: 403 or 404
INSIDERS = {"pat", "surgeon", "nurse", "coordinator"}


def _user(cast: Any, role: str) -> Any:
    if role in ("pat", "quinn", "sid"):
        return getattr(cast, role).user
    return getattr(cast, role)


def _pages() -> list[tuple[str, list[str], list[str]]]:
    """(template, id parameters, other parameters) of every page outside /api and /admin."""
    found = []
    for route, _, converters in _walk(get_resolver().url_patterns):
        # /fhir/R4 is its own API with SMART scopes: endospine/fhir/tests (tokens, clients).
        if route.startswith(("api/", "admin/", "fhir/")):
            continue
        template = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        ids = [n for n, c in converters.items() if type(c).__name__ == "UUIDConverter"]
        found.append((template, ids, [n for n in converters if n not in ids]))
    return found


def _operations(document: dict[str, Any]) -> list[tuple[str, str, list[str], list[str], bool]]:
    found = []
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            params = [p for p in op.get("parameters", []) if p["in"] == "path"]
            ids = [p["name"] for p in params if p.get("schema", {}).get("format") == "uuid"]
            others = [p["name"] for p in params if p["name"] not in ids]
            found.append((method, path, ids, others, bool(op.get("security"))))
    return found


def _fill(template: str, ids: list[str], others: list[str], cast: Any) -> str:
    values = dict.fromkeys(others, "x")
    for name in ids:
        if name == "episode_id":
            values[name] = str(cast.episode.pk)
            continue
        model = model_for(name)
        lookups = ("episode", "checklist__episode")
        mine = None
        for lookup in lookups:
            if any(f.name == lookup.split("__")[0] for f in model._meta.get_fields()):
                mine = model._default_manager.filter(**{lookup: cast.episode}).first()  # type: ignore[attr-defined]
                break
        values[name] = str(mine.pk) if mine is not None else str(uuid.uuid4())
    return template.format(**values)


def _shows_pat(cast: Any, body: str) -> bool:
    return cast.pat.full_name in body or bool(re.search(rf"\b{re.escape(cast.pat.mrn)}\b", body))


def _denials(cast: Any) -> list[str]:
    rows = AuditEvent.objects.filter(
        action="denied", record_type="journey.episode", record_id=str(cast.episode.pk)
    )
    return [detail for detail in rows.values_list("detail", flat=True) if detail.startswith("404")]


@pytest.fixture
def matrix(cast: Any, settings: Any) -> dict[str, Any]:
    settings.RATE_LIMIT_PER_MINUTE = 100_000
    pages: dict[str, Client] = {"anonymous": Client()}
    api: dict[str, Client] = {"anonymous": Client()}
    for role in ROLES[1:]:
        pages[role] = cast.client_for(_user(cast, role))
        _, raw = ApiToken.issue(_user(cast, role))
        api[role] = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return {"pages": pages, "api": api}


def _check(
    cast: Any, role: str, what: str, response: Any, since: int, public: bool, is_id_route: bool
) -> str:
    status, body = response.status_code, response.content.decode(errors="replace")
    if status >= 500:
        return f"{what} as {role}: {status}"
    if role == "anonymous" and not public:
        api = " /api/" in what
        ok = (
            status == 401 if api else (status == 302 and "/accounts/login/" in response["Location"])
        )
        if not ok and status != 405:
            return f"{what} as anonymous: {status}, not sent to sign in"
    if is_id_route and role in OUTSIDERS and status not in (404, 405):
        return f"{what} as {role}: {status}, not 404"
    if is_id_route and role in NO_RECORDS and status not in (403, 404, 405):
        return f"{what} as {role}: {status}, not 403/404"
    if is_id_route and role in INSIDERS and len(_denials(cast)) > since:
        return f"{what} as {role}: refused the episode ({_denials(cast)[since:]})"
    refused = status in (401, 403, 404, 405)
    if (refused or role in OUTSIDERS | NO_RECORDS | {"anonymous"}) and _shows_pat(cast, body):
        return f"{what} as {role}: {status} shows Pat's name or MRN"
    return ""


def test_every_page_as_every_role(cast, matrix):
    failures, sent = [], 0
    for template, ids, others in _pages():
        url = _fill(template, ids, others, cast)
        anonymous = matrix["pages"]["anonymous"].get(url)
        public = not (anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"])
        if ids and public:
            failures.append(f"{template} takes a record id but answers anonymous callers")
        for method in ("get", "post"):
            for role in ROLES:
                since = len(_denials(cast)) if ids and role in INSIDERS else 0
                client = matrix["pages"][role]
                response = getattr(client, method)(url)
                cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
                if cookie is not None and not cookie.value and role != "anonymous":
                    # The walk posts to sign-out too: sign back in.
                    matrix["pages"][role] = cast.client_for(_user(cast, role))
                sent += 1
                what = f"{method.upper()} {template}"
                problem = _check(cast, role, what, response, since, public, bool(ids))
                if problem:
                    failures.append(problem)
    assert sent >= 400, sent
    assert not failures, "\n".join(failures)


def _same_for_a_stranger(client: Client, method: str, path: str, status: int) -> bool:
    """Does the same request about a record that does not exist get the same answer?

    The API validates a body before it looks for the record, so a bad body
    answers 422 to anyone: that reveals nothing, as long as it does not
    depend on whether the record exists.
    """
    url = re.sub(r"\{\w+\}", lambda _: str(uuid.uuid4()), path)
    other = getattr(client, method)(url, "{}", content_type="application/json")
    return bool(other.status_code == status)


def test_every_api_operation_as_every_role(cast, matrix):
    document = Client().get("/api/v1/openapi.json").json()
    failures, sent = [], 0
    for method, path, ids, others, secured in _operations(document):
        url = _fill(path, ids, others, cast)
        for role in ROLES:
            since = len(_denials(cast)) if ids and role in INSIDERS else 0
            client = matrix["api"][role]
            if method == "get":
                response = client.get(url)
            else:
                response = getattr(client, method)(url, "{}", content_type="application/json")
            sent += 1
            what = f"{method.upper()} {path}"
            problem = _check(cast, role, what, response, since, not secured, bool(ids))
            if (
                problem
                and response.status_code == 422
                and role in OUTSIDERS | NO_RECORDS
                and _same_for_a_stranger(client, method, path, 422)
            ):
                problem = ""
            if problem:
                failures.append(problem)
            if response.status_code >= 400 and "errors" not in response.json():
                failures.append(f"{what} as {role}: {response.status_code} without the envelope")
    assert sent >= 200, sent
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["lead", "admin", "nurse_south"])
def test_lists_show_nothing_outside_a_users_reach(cast, matrix, role):
    body = matrix["api"][role].get("/api/v1/episodes").content.decode()
    assert cast.pat.family_name not in body


def test_the_south_nurse_sees_only_south(cast, matrix):
    rows = matrix["api"]["nurse_south"].get("/api/v1/episodes").json()["results"]
    assert [row["id"] for row in rows] == [str(cast.south_episode.pk)]
