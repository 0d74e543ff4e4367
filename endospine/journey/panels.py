"""Links each journey step adds to the episode page and the patient's home, and what is due.

A step app registers its pages in AppConfig.ready(); the episode page and the
patient home list the registered links, so journey never imports the steps.
Each url_name must take one keyword argument, `episode_id`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

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


@dataclass(frozen=True)
class Section:
    """A block a step adds to the staff episode page: a template and its context.

    `context(episode)` returns what the template needs (it may query; keep it
    to a fixed number of queries) and the block is shown in the given stages.
    """

    template: str
    context: Callable[[Any], dict[str, Any]]
    stages: tuple[str, ...]
    order: int = 50


_sections: list[Section] = []


def register_section(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)


def sections_for(episode: Any) -> list[dict[str, Any]]:
    """The sections of the episode's stage, each as {"template", "context"}."""
    return [
        {"template": s.template, "context": s.context(episode)}
        for s in _sections
        if episode.stage in s.stages
    ]
