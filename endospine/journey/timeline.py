"""Timeline rows a step reads from its own tables (journey never imports the steps).

A source returns objects shaped like TimelineEvent (at, kind, summary, actor, data),
newest first is not required: journey.selectors.timeline merges and sorts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from endospine.journey.models import Episode


@dataclass(frozen=True)
class Row:
    at: datetime
    kind: str
    summary: str
    actor: Any = None
    data: dict[str, Any] = field(default_factory=dict)


Source = Callable[["Episode"], list[Row]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def rows_for(episode: "Episode") -> list[Row]:
    return [row for source in _sources for row in source(episode)]
