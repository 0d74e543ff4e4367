"""Keyset paging: every row once, in order, through ties; bad cursors name the field."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.test.utils import CaptureQueriesContext

from endospine.core import clock, paging
from endospine.core.errors import DomainError
from endospine.journey.models import Episode, Stage
from endospine.testing import make_episode, make_patient

ORDER = ("-stage_changed_at", "-id")


@pytest.fixture
def twelve(cast: Any) -> list[Episode]:
    """Twelve more episodes at North, four of them sharing one timestamp (ties)."""
    made = [make_episode(make_patient(f"k{i}", cast.north), stage=Stage.LEARN) for i in range(12)]
    same = clock.now() - timedelta(days=3)
    Episode.objects.filter(pk__in=[e.pk for e in made[:4]]).update(stage_changed_at=same)
    return made


def walk(queryset: Any, order: tuple[str, ...], size: int) -> list[Any]:
    seen, cursor = [], None
    while True:
        page = paging.keyset_page(queryset, order=order, size=size, cursor=cursor)
        seen += [e.pk for e in page.items]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize("size", [1, 4, 5, 50])
def test_pages_cover_every_row_once_in_order(twelve: list[Episode], size: int) -> None:
    everything = list(Episode.objects.order_by(*ORDER).values_list("pk", flat=True))
    assert walk(Episode.objects.all(), ORDER, size) == everything


def test_ascending_and_annotated_columns(twelve: list[Episode]) -> None:
    rank = Case(
        When(stage=Stage.LEARN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    rows = Episode.objects.annotate(rank=rank)
    order = ("rank", "stage_changed_at", "id")
    assert walk(rows, order, 3) == list(rows.order_by(*order).values_list("pk", flat=True))


def test_a_page_is_one_query_whatever_its_depth(twelve: list[Episode]) -> None:
    cursor = paging.keyset_page(Episode.objects.all(), order=ORDER, size=10).next_cursor
    with CaptureQueriesContext(connection) as ctx:
        paging.keyset_page(Episode.objects.all(), order=ORDER, size=10, cursor=cursor)
    assert len(ctx.captured_queries) == 1
    assert "OFFSET" not in ctx.captured_queries[0]["sql"]


@pytest.mark.parametrize("cursor", ["garbage", "a" * 2000, "W10:1tamper:sig"])
def test_a_bad_cursor_names_the_field(twelve: list[Episode], cursor: str) -> None:
    with pytest.raises(DomainError) as error:
        paging.keyset_page(Episode.objects.all(), order=ORDER, size=5, cursor=cursor)
    assert error.value.errors[0][0] == "cursor"


def test_a_cursor_of_another_ordering_is_refused(twelve: list[Episode]) -> None:
    cursor = paging.keyset_page(Episode.objects.all(), order=("opened_on", "id"), size=2)
    with pytest.raises(DomainError):
        paging.keyset_page(Episode.objects.all(), order=ORDER, size=2, cursor=cursor.next_cursor)
