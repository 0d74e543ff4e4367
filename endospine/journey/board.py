"""Columns and sort keys the steps add to the staff worklist (the triage board).

Like panels.py: a step registers, in AppConfig.ready(), SQL annotations on
the episode queryset, the columns that show them (a template per cell, given
`e`, the annotated episode) and the sort keys that put the patients who need
someone first. Journey never imports the steps; every column is an
annotation of the one worklist query, so a page costs the same number of
queries however many rows and columns it has.

The board's order is: the registered sort keys by priority (each descending
or ascending), then the most recent stage change, then the id, a unique
tie-breaker so that a keyset (cursor) page can continue from any row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.functional import Promise

Annotator = Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise
    template: str  # rendered with `e`, the annotated episode
    order: int = 50


@dataclass(frozen=True)
class SortKey:
    annotation: str
    priority: int
    descending: bool = True


_annotators: list[Annotator] = []
_columns: list[Column] = []
_sort_keys: list[SortKey] = []


def register(
    *, annotate: Annotator, columns: tuple[Column, ...] = (), sort: tuple[SortKey, ...] = ()
) -> None:
    if annotate not in _annotators:
        _annotators.append(annotate)
    for column in columns:
        if column not in _columns:
            _columns.append(column)
    _columns.sort(key=lambda c: c.order)
    for key in sort:
        if key not in _sort_keys:
            _sort_keys.append(key)
    _sort_keys.sort(key=lambda k: k.priority)


def annotate(episodes: QuerySet[Any]) -> QuerySet[Any]:
    for annotator in _annotators:
        episodes = episodes.annotate(**annotator())
    return episodes


def ordering() -> list[OrderBy]:
    keys = [
        F(k.annotation).desc(nulls_last=True) if k.descending else F(k.annotation).asc()
        for k in _sort_keys
    ]
    return [*keys, F("stage_changed_at").desc(), F("id").desc()]


def columns() -> list[Column]:
    return list(_columns)
