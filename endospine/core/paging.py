"""Keyset (cursor) paging: page N costs what page 1 costs, whatever N.

OFFSET paging reads and throws away every row before the page, so deep pages
slow down with depth. A keyset page instead starts *after* the last row of the
previous page: `WHERE (a, b) < (last_a, last_b) ORDER BY a DESC, b DESC LIMIT n`,
which an index on the same columns answers with a range scan.

    page = keyset_page(queryset, order=("-stage_changed_at", "-id"), size=25,
                       cursor=request_cursor)
    page.items, page.next_cursor  # None on the last page

- `order` lists the columns, each with "-" for descending; the last one must
  be unique (the tie-breaker, usually "id"), so no row is skipped or repeated.
  Columns may be model fields or annotations on the queryset (e.g. a severity
  rank); they must not be NULL.
- The cursor is opaque: the last row's values, signed (django.core.signing)
  with a salt that names the ordering, so a client cannot forge one or reuse a
  cursor of another list. A bad cursor raises DomainError("cursor", ...) (422).
- It carries no patient data, only sort keys (timestamps, ids, ranks).
"""

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, Q, QuerySet

from endospine.core.errors import DomainError

M = TypeVar("M", bound=Model)
MAX_CURSOR = 1000


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def _columns(order: Sequence[str]) -> list[tuple[str, bool]]:
    if not order:
        raise ValueError("keyset paging needs at least one column")
    return [(col.lstrip("-"), col.startswith("-")) for col in order]


def _salt(order: Sequence[str]) -> str:
    return "endospine.paging:" + ",".join(order)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def encode(obj: Model, order: Sequence[str]) -> str:
    """The cursor that starts after this row."""
    values = [_plain(getattr(obj, name)) for name, _ in _columns(order)]
    return signing.dumps(values, salt=_salt(order), compress=True)


def _typed(model: type[Model], name: str, raw: Any) -> Any:
    try:
        field = model._meta.pk if name in ("pk", "id") else model._meta.get_field(name)
    except FieldDoesNotExist:
        return raw  # an annotation: JSON gives back what we put in (int, str)
    if not isinstance(field, Field):
        raise ValueError(f"cannot page on the relation {name}")
    return field.to_python(raw)


def decode(
    cursor: str, order: Sequence[str], model: type[Model], *, field: str = "cursor"
) -> list[Any]:
    """The sort values a cursor carries; DomainError(field) when it is not one of ours."""
    columns = _columns(order)
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError("too long")
        values = signing.loads(cursor, salt=_salt(order))
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError("wrong shape")
        return [_typed(model, name, raw) for (name, _), raw in zip(columns, values, strict=True)]
    except (signing.BadSignature, ValueError, TypeError, ValidationError) as exc:
        raise DomainError(field, "not a cursor from this list: start again without it") from exc


def after(values: Sequence[Any], order: Sequence[str]) -> Q:
    """Rows strictly after `values` in `order` (the keyset condition).

    Expanded as (a < x) OR (a = x AND b < y) ..., with the redundant a <= x in
    front so the database can start its index range there instead of filtering
    from the top.
    """
    columns = _columns(order)
    later = Q()
    for depth in range(len(columns)):
        step = Q(**{name: value for (name, _), value in zip(columns[:depth], values, strict=False)})
        name, desc = columns[depth]
        step &= Q(**{f"{name}__{'lt' if desc else 'gt'}": values[depth]})
        later = step if depth == 0 else later | step
    first, desc = columns[0]
    return Q(**{f"{first}__{'lte' if desc else 'gte'}": values[0]}) & later


def keyset_page(
    queryset: QuerySet[M],
    *,
    order: Sequence[str],
    size: int,
    cursor: str | None = None,
    field: str = "cursor",
) -> Page[M]:
    """One page of `queryset` in `order`, starting after `cursor` (or at the top)."""
    rows = queryset.order_by(*order)
    if cursor:
        rows = rows.filter(after(decode(cursor, order, queryset.model, field=field), order))
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items, encode(items[-1], order) if more and items else None)


def next_cursor_after(items: Sequence[Model], order: Sequence[str], *, more: bool) -> str | None:
    """The cursor after an OFFSET page, so a client can switch to cursors mid-list."""
    return encode(items[-1], order) if more and items else None
