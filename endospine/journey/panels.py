"""Links each journey step adds to the episode page and the patient's home.

A step app registers its pages in AppConfig.ready(); the episode page and the
patient home list the registered links, so journey never imports the steps.
Each url_name must take one keyword argument, `episode_id`.
"""

from dataclasses import dataclass
from typing import Literal

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
