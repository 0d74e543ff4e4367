"""Every page and API operation that takes a patient-data id audits each successful GET once.

Nothing here is a hand-kept list. The pages come from the URL resolver (a
route with a `<uuid:...>` parameter takes a patient-data id), the operations
from /api/v1/openapi.json (a path parameter of format `uuid`). Ids are found
in the demo data by the parameter's name (`episode_id` -> Episode,
`item_id` -> ChecklistItem, `checkin_id` -> Checkin, ...); other parameters
(`<slug:code>`) take values from links the walked pages show. A route that
is added later is walked the day it lands: one that no caller can GET with
success, and that does not refuse GET with 405, fails the test, so coverage
cannot rot silently.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import UUIDConverter

from endospine.accounts.models import ApiToken, User
from endospine.audit.models import AuditEvent
from endospine.journey.models import Episode

API = "/api/v1"


@dataclass
class Route:
    kind: str  # "page" or "api"
    template: str  # "/operate/{episode_id}/discharge/"
    ids: list[str]  # parameters that take a patient-data id
    others: list[str] = field(default_factory=list)  # any other parameter
    regex: re.Pattern[str] | None = None


def _walk(
    patterns: list[Any], prefix: str = "", regex: str = ""
) -> Iterator[tuple[str, str, dict]]:
    for entry in patterns:
        route = str(entry.pattern)
        part = entry.pattern.regex.pattern.lstrip("^").rstrip("$").removesuffix(r"\Z")
        converters = getattr(entry.pattern, "converters", {})
        if isinstance(entry, URLResolver):
            inner = list(_walk(entry.url_patterns, prefix + route, regex + part))
            yield from ((p, r, {**converters, **c}) for p, r, c in inner)
        elif isinstance(entry, URLPattern):
            yield prefix + route, regex + part, converters


def page_routes() -> list[Route]:
    found = []
    for route, regex, converters in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "fhir/")):
            continue  # the API is walked from its OpenAPI document; FHIR audits in its own tests
        ids = [name for name, conv in converters.items() if isinstance(conv, UUIDConverter)]
        if not ids:
            continue
        template = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        others = [name for name in converters if name not in ids]
        found.append(Route("page", template, ids, others, re.compile("^/" + regex + "$")))
    return found


def api_routes(document: dict[str, Any]) -> list[Route]:
    found = []
    for path, methods in document["paths"].items():
        if "get" not in methods:
            continue
        params = [p for p in methods["get"].get("parameters", []) if p["in"] == "path"]
        ids = [p["name"] for p in params if p.get("schema", {}).get("format") == "uuid"]
        if ids:
            others = [p["name"] for p in params if p["name"] not in ids]
            found.append(Route("api", path, ids, others))
    return found


# -- ids from the demo data ----------------------------------------------------------------


def model_for(parameter: str) -> type[models.Model]:
    """`checkin_id` -> Checkin; `item_id` -> ChecklistItem (the one model whose name ends so)."""
    kind = parameter.removesuffix("_id")
    every = apps.get_models()
    exact = [m for m in every if m._meta.model_name == kind]
    ending = [m for m in every if m._meta.model_name.endswith(kind)]
    chosen = exact or ending
    assert len(chosen) == 1, f"no single model for the id parameter {parameter!r}: {chosen}"
    return chosen[0]


def episode_path(model: type[models.Model]) -> str:
    """The lookup from a model to its episode: `episode`, or one hop further."""
    if model is Episode:
        return "pk"
    names = {f.name: f for f in model._meta.get_fields() if f.is_relation and f.many_to_one}
    if "episode" in names:
        return "episode"
    for name, relation in names.items():
        related = relation.related_model
        if any(f.name == "episode" for f in related._meta.get_fields()):  # type: ignore[union-attr]
            return f"{name}__episode"
    raise AssertionError(f"{model._meta.label} does not lead to an episode")


def candidates(route: Route, episodes: list[Episode]) -> Iterator[tuple[Episode, dict[str, str]]]:
    """(episode, {parameter: id}) for every episode, records of that episode first."""
    for episode in episodes:
        rows: dict[str, list[str]] = {}
        for name in route.ids:
            model = model_for(name)
            lookup = episode_path(model)
            query = model._default_manager.filter(**{lookup: episode.pk})  # type: ignore[attr-defined]
            rows[name] = [str(pk) for pk in query.values_list("pk", flat=True)[:3]]
        if all(rows.values()):
            for index in range(max(len(v) for v in rows.values())):
                yield episode, {n: v[min(index, len(v) - 1)] for n, v in rows.items()}


# -- the walk ---------------------------------------------------------------------------------


@pytest.fixture
def demo(db: None, settings: Any) -> dict[str, Any]:
    settings.STAFF_REQUIRE_2FA = False
    settings.RATE_LIMIT_PER_MINUTE = 100_000
    call_command("load_content", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    staff = list(User.objects.filter(role__in=["surgeon", "nurse", "coordinator"]))
    episodes = list(Episode.objects.select_related("patient__user").order_by("-stage_changed_at"))
    return {"staff": staff, "episodes": episodes}


def _page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api_client(user: User) -> Client:
    _, raw = ApiToken.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _links(body: bytes) -> set[str]:
    return set(re.findall(r'href="(/[^"?#]*)"', body.decode(errors="replace")))


def walk(routes: list[Route], demo: dict[str, Any], make_client: Any) -> tuple[int, list[str]]:
    clients: dict[Any, Client] = {}

    def client(user: User) -> Client:
        if user.pk not in clients:
            clients[user.pk] = make_client(user)
        return clients[user.pk]

    seen_links: set[str] = set()
    failures, walked = [], 0
    # Routes with only id parameters first; their pages give the links for the others.
    for route in sorted(routes, key=lambda r: bool(r.others)):
        outcome = _walk_route(route, demo, client, seen_links)
        if outcome is None:
            walked += 1
        elif outcome:
            failures.append(f"{route.kind} {route.template}: {outcome}")
    return walked, failures


def _harvest(route: Route, demo: dict[str, Any], client: Any) -> set[str]:
    """Links shown by the page above this route: `/a/{episode_id}/` for `/a/{episode_id}/b/{c}/`."""
    first = min(route.template.index("{" + name + "}") for name in route.others)
    parents = route.template[:first].rsplit("/", 2)[0] + "/"
    links: set[str] = set()
    for episode in demo["episodes"]:
        for user in [u for u in (episode.patient.user, *demo["staff"][:1]) if u is not None]:
            response = client(user).get(parents.format(episode_id=episode.pk))
            if response.status_code == 200:
                links |= _links(response.content)
    return links


def _urls(route: Route, demo: dict[str, Any], seen: set[str]) -> Iterator[tuple[Episode, str]]:
    if route.others:
        by_id = {str(e.pk): e for e in demo["episodes"]}
        for link in sorted(seen):
            match = route.regex.match(link) if route.regex else None
            if match and match.groupdict().get("episode_id") in by_id:
                yield by_id[match.groupdict()["episode_id"]], link
        return
    for episode, values in candidates(route, demo["episodes"]):
        yield episode, route.template.format(**values)


def _walk_route(route: Route, demo: dict[str, Any], client: Any, seen: set[str]) -> str | None:
    """None when a GET succeeded with one read row; "" when GET is refused (405); else why not."""
    statuses: set[int] = set()
    if route.others:
        seen |= _harvest(route, demo, client)
    for episode, url in _urls(route, demo, seen):
        for user in [u for u in (episode.patient.user, *demo["staff"]) if u is not None]:
            before = set(AuditEvent.objects.values_list("pk", flat=True))
            response = client(user).get(url)
            statuses.add(response.status_code)
            if response.status_code == 405:
                return ""
            if response.status_code != 200:
                continue
            if response.get("Content-Type", "").startswith("text/html"):
                seen |= _links(response.content)
            new = list(AuditEvent.objects.exclude(pk__in=before))
            reads = [e for e in new if e.action == "read"]
            if len(reads) != 1:
                return f"GET {url} as {user.role} wrote {len(reads)} read rows, not 1"
            if {e.patient_id for e in new} != {episode.patient_id}:
                return f"GET {url} as {user.role} audited another patient"
            if reads[0].actor_id != user.pk:
                return f"GET {url} as {user.role} audited another actor"
            return None
    return f"no GET answered 200 (statuses {sorted(statuses)}); give the demo data it needs"


def test_every_page_that_takes_an_id_audits_each_successful_get_once(demo):
    routes = page_routes()
    assert len(routes) >= 20, [r.template for r in routes]
    walked, failures = walk(routes, demo, _page_client)
    assert not failures, "\n".join(failures)
    assert walked >= 8


def test_every_api_operation_that_takes_an_id_audits_each_successful_get_once(demo):
    document = Client().get(f"{API}/openapi.json").json()
    routes = api_routes(document)
    assert len(routes) >= 5, [r.template for r in routes]
    walked, failures = walk(routes, demo, _api_client)
    assert not failures, "\n".join(failures)
    assert walked >= 5
