"""Links each journey step adds to the episode page and the patient's home.

A step app registers its pages in AppConfig.ready(); the episode page and the
patient home list the registered links, so journey never imports the steps.
Each url_name must take one keyword argument, `episode_id`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

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
