"""Issue 16 item 5: every page a patient sees before the operation carries the cauda
equina warning signs (GIRFT 2023), placed by the base template, not page by page.

The walk reads every URL pattern of the project, fills in the patient's own episode
and an article, and opens each page as the patient: every HTML page that answers 200
must carry the warning. Staff pages and post-operative patients do not get it."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from endospine.journey.models import Episode, Stage
from endospine.learn.content import parse_folders
from endospine.learn.services import shipped_knowledge_dir

MARKER = b'data-warning="cauda-equina"'
SKIP_PREFIXES = ("api/", "admin/", "accounts/logout", "healthz")


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _paths(episode: Episode, slug: str) -> list[str]:
    values = {"episode_id": str(episode.pk), "slug": slug}
    paths = []
    for route, pattern in _patterns(get_resolver()):
        if route.startswith(SKIP_PREFIXES) or "^" in route:
            continue
        names = set(pattern.pattern.converters) | {
            part.split(">")[0].split(":")[-1] for part in route.split("<")[1:]
        }
        if not names <= set(values):
            continue
        path = route
        for part in route.split("<")[1:]:
            token = part.split(">")[0]
            path = path.replace(f"<{token}>", values[token.split(":")[-1]])
        paths.append("/" + path)
    return paths


def _first_slug() -> str:
    return parse_folders([shipped_knowledge_dir()])[0].slug


def _html_pages(client: Any, paths: list[str]) -> Iterator[tuple[str, bytes]]:
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            yield path, response.content


@pytest.mark.parametrize("stage", [Stage.LEARN, Stage.ASSESS, Stage.PREPARE])
def test_every_pre_operative_patient_page_carries_the_warning(cast: Any, stage: str) -> None:
    Episode.objects.filter(pk=cast.episode.pk).update(stage=stage)
    client = cast.client_for(cast.pat.user)
    pages = list(_html_pages(client, _paths(cast.episode, _first_slug())))
    assert len(pages) >= 4, [p for p, _ in pages]
    missing = [path for path, body in pages if MARKER not in body]
    assert not missing


def test_public_education_pages_carry_the_warning(client: Any, cast: Any) -> None:
    assert MARKER in client.get("/learn/").content


def test_staff_pages_and_recovering_patients_do_not(cast: Any) -> None:
    assert (
        MARKER not in cast.client_for(cast.nurse).get(f"/assess/{cast.episode.pk}/staff/").content
    )
    Episode.objects.filter(pk=cast.quinn_episode.pk).update(stage=Stage.RECOVER)
    assert MARKER not in cast.client_for(cast.quinn.user).get("/").content
