"""Links each journey step adds to the episode page and the patient's home, and what is due.

A step app registers its pages in AppConfig.ready(); the episode page and the
patient home list the registered links, so journey never imports the steps.
Each url_name must take one keyword argument, `episode_id`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from endospine.journey.models import Episode

Audience = Literal["patient", "staff"]


@dataclass(frozen=True)
class Panel:
    title: str
    url_name: str
    audience: Audience
    stages: tuple[str, ...]  # stages in which the link is shown
    order: int = 50
    description: str = ""


_panels: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)
        _panels.sort(key=lambda p: p.order)


def for_episode(stage: str, audience: Audience) -> list[Panel]:
    return [p for p in _panels if p.audience == audience and stage in p.stages]


@dataclass(frozen=True)
class DueItem:
    """Something the patient should do now, with one tap to it (the patient's home lists them)."""

    title: str
    url: str
    late: bool = False
    detail: str = ""


# A step says what is due for an episode in the stages it cares about; journey
# asks every registered step without importing any of them.
DueProvider = Callable[["Episode"], list[DueItem]]
_due_providers: list[tuple[tuple[str, ...], DueProvider]] = []


def register_due(stages: tuple[str, ...], provider: DueProvider) -> None:
    if (stages, provider) not in _due_providers:
        _due_providers.append((stages, provider))


def due_for(episode: "Episode") -> list[DueItem]:
    """Everything due for the episode now, late items first."""
    items = [
        item
        for stages, provider in _due_providers
        if episode.stage in stages
        for item in provider(episode)
    ]
    return sorted(items, key=lambda item: not item.late)
