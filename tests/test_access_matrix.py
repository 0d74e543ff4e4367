"""Every foundation page and API endpoint, asked by every role.

Refusals must not leak: a refused body never contains the patient's name or
record number. Step apps keep their own matrices beside their code.
"""

import pytest
from django.test import Client

from endospine.accounts.models import ApiToken

ROLES = [
    "anonymous",
    "pat",
    "quinn",
    "surgeon",
    "nurse",
    "coordinator",
    "nurse_south",
    "lead",
    "admin",
]


def _user(cast, role):
    if role == "anonymous":
        return None
    if role in ("pat", "quinn"):
        return getattr(cast, role).user
    return getattr(cast, role)


def page_client(cast, role):
    user = _user(cast, role)
    return cast.client_for(user) if user else Client()


def api_client(cast, role):
    user = _user(cast, role)
    if user is None:
        return Client()
    _, raw = ApiToken.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


LOGIN = 302
# role -> expected status, per page
PAGES = {
    "worklist": (
        "get",
        "/episodes/",
        {
            "anonymous": LOGIN,
            "pat": 403,
            "quinn": 403,
            "surgeon": 200,
            "nurse": 200,
            "coordinator": 200,
            "nurse_south": 200,
            "lead": 403,
            "admin": 403,
        },
    ),
    "episode page": (
        "get",
        "/episodes/{episode}/",
        {
            "anonymous": LOGIN,
            "pat": 302,
            "quinn": 404,
            "surgeon": 200,
            "nurse": 200,
            "coordinator": 200,
            "nurse_south": 404,
            "lead": 404,
            "admin": 404,
        },
    ),
    "change stage": (
        "post",
        "/episodes/{episode}/stage/",
        {
            "anonymous": LOGIN,
            "pat": 403,
            "quinn": 404,
            "surgeon": 302,
            "nurse": 302,
            "coordinator": 302,
            "nurse_south": 404,
            "lead": 404,
            "admin": 404,
        },
    ),
    "patient home": (
        "get",
        "/episodes/home/",
        {
            "anonymous": LOGIN,
            "pat": 200,
            "quinn": 200,
            "surgeon": 404,
            "nurse": 404,
            "coordinator": 404,
            "nurse_south": 404,
            "lead": 404,
            "admin": 404,
        },
    ),
    "program overview": (
        "get",
        "/episodes/program/",
        {
            "anonymous": LOGIN,
            "pat": 403,
            "quinn": 403,
            "surgeon": 200,
            "nurse": 403,
            "coordinator": 403,
            "nurse_south": 403,
            "lead": 200,
            "admin": 403,
        },
    ),
    "audit search": (
        "get",
        "/audit/",
        {
            "anonymous": LOGIN,
            "pat": 403,
            "quinn": 403,
            "surgeon": 403,
            "nurse": 403,
            "coordinator": 403,
            "nurse_south": 403,
            "lead": 403,
            "admin": 200,
        },
    ),
    "django admin": (
        "get",
        "/admin/",
        {
            "anonymous": LOGIN,
            "pat": LOGIN,
            "quinn": LOGIN,
            "surgeon": LOGIN,
            "nurse": LOGIN,
            "coordinator": LOGIN,
            "nurse_south": LOGIN,
            "lead": LOGIN,
            "admin": 200,
        },
    ),
}
API = {
    "list episodes": (
        "get",
        "/api/v1/episodes",
        {
            "anonymous": 401,
            "pat": 200,
            "quinn": 200,
            "surgeon": 200,
            "nurse": 200,
            "coordinator": 200,
            "nurse_south": 200,
            "lead": 200,
            "admin": 200,
        },
    ),
    "read episode": (
        "get",
        "/api/v1/episodes/{episode}",
        {
            "anonymous": 401,
            "pat": 200,
            "quinn": 404,
            "surgeon": 200,
            "nurse": 200,
            "coordinator": 200,
            "nurse_south": 404,
            "lead": 404,
            "admin": 404,
        },
    ),
    "change stage": (
        "post",
        "/api/v1/episodes/{episode}/stage",
        {
            "anonymous": 401,
            "pat": 403,
            "quinn": 404,
            "surgeon": 200,
            "nurse": 200,
            "coordinator": 200,
            "nurse_south": 404,
            "lead": 404,
            "admin": 404,
        },
    ),
}


def _cases(table):
    return [(name, role) for name in table for role in ROLES]


def _secret_words(cast):
    return [cast.pat.family_name, cast.pat.mrn]


@pytest.mark.parametrize(("name", "role"), _cases(PAGES))
def test_pages(cast, name, role):
    method, path, expected = PAGES[name]
    url = path.format(episode=cast.episode.pk)
    client = page_client(cast, role)
    data = {"stage": "prepare", "reason": "matrix"} if method == "post" else None
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == expected[role], f"{name} as {role}"
    if response.status_code in (403, 404):
        body = response.content.decode()
        assert not any(word in body for word in _secret_words(cast))


@pytest.mark.parametrize(("name", "role"), _cases(API))
def test_api(cast, name, role):
    method, path, expected = API[name]
    url = path.format(episode=cast.episode.pk)
    client = api_client(cast, role)
    if method == "post":
        response = client.post(url, {"stage": "prepare"}, content_type="application/json")
    else:
        response = client.get(url)
    assert response.status_code == expected[role], f"{name} as {role}: {response.content[:200]}"
    body = response.content.decode()
    if response.status_code != 200:
        assert "errors" in response.json()
        assert not any(word in body for word in _secret_words(cast))


@pytest.mark.parametrize("role", ["lead", "admin", "nurse_south"])
def test_lists_show_nothing_outside_a_users_reach(cast, role):
    body = api_client(cast, role).get("/api/v1/episodes").content.decode()
    assert cast.pat.family_name not in body


def test_the_south_nurse_sees_only_south(cast):
    rows = api_client(cast, "nurse_south").get("/api/v1/episodes").json()["results"]
    assert [row["id"] for row in rows] == [str(cast.south_episode.pk)]
