"""Reports read sums: from OutcomeCell for months whose windows have all closed, and
from OutcomeFact for the rest (the month a window is closing in, and partial months
at the edges of since/until). Both sides give the same sums, so they add up exactly.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, Max, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth

from endospine.measure import content
from endospine.measure.facts import insert_rows
from endospine.measure.models import OutcomeCell, OutcomeFact
from endospine.measure.registry import Definition, Rule

SUMS = (
    "n",
    "responded_n",
    "success_n",
    "sum_baseline",
    "sum_followup",
    "n_same_day",
    "sum_age",
    "sum_baseline_odi",
    "n_baseline_odi",
)
DIMENSIONS = (
    "site_id",
    "surgeon_id",
    "approach",
    "level",
    "diagnosis",
    "responded",
    "odi_band",
    "age_band",
)


def def_key(definition: Definition) -> str:
    return f"{definition.code}:{definition.version}"


def _band(field: str, cuts: tuple[tuple[float, str], ...], top: str) -> Case:
    whens = [When(**{f"{field}__lte": cut}, then=Value(name)) for cut, name in cuts]
    return Case(
        When(**{f"{field}__isnull": True}, then=Value("unknown")), *whens, default=Value(top)
    )


def banded(qs: QuerySet[OutcomeFact]) -> QuerySet[OutcomeFact]:
    """Facts with the cell columns they lack: case-mix bands and the month of surgery."""
    return qs.annotate(
        odi_band=_band("baseline_odi", ((40, "<=40"), (60, "41-60")), ">60"),
        age_band=_band("age", ((39, "<40"), (59, "40-59")), "60+"),
        surgery_month=TruncMonth("surgery_date"),
    )


def _success(rules: dict[str, Rule]) -> Case:
    from endospine.measure.selectors import success_q

    whens = [When(Q(responded=True, measure=m) & success_q(r), then=1) for m, r in rules.items()]
    return Case(*whens, default=0)


def fact_sums(rules: dict[str, Rule]) -> dict[str, Any]:
    """The aggregates of facts (annotated with_gain) that a cell stores."""
    return {
        "n": Count("pk"),
        "responded_n": Count("pk", filter=Q(responded=True)),
        "success_n": Sum(_success(rules)),
        "sum_baseline": Sum("baseline", filter=Q(responded=True)),
        "sum_followup": Sum("followup", filter=Q(responded=True)),
        "n_same_day": Count("pk", filter=Q(same_day=True)),
        "sum_age": Sum("age"),
        "sum_baseline_odi": Sum("baseline_odi"),
        "n_baseline_odi": Count("baseline_odi"),
    }


def _cell_sums() -> dict[str, Any]:
    """Aggregates over cells, named t_<sum> (a name may not shadow the cell's column)."""
    responded = Q(responded=True)
    return {
        "t_n": Sum("n"),
        "t_responded_n": Sum("n", filter=responded),
        "t_success_n": Sum("success_n"),
        "t_sum_baseline": Sum("sum_baseline", filter=responded),
        "t_sum_followup": Sum("sum_followup", filter=responded),
        "t_n_same_day": Sum("n_same_day"),
        "t_sum_age": Sum("sum_age"),
        "t_sum_baseline_odi": Sum("sum_baseline_odi"),
        "t_n_baseline_odi": Sum("n_baseline_odi"),
    }


# ---- maintenance ---------------------------------------------------------------

WHOLE_REBUILD_PAIRS = 40
CELL_COLUMNS = (
    "definition", "measure", "timepoint", "surgery_month", "site_id", "surgeon_id", "approach",
    "level", "diagnosis", "responded", "odi_band", "age_band", "min_closes_on", "max_closes_on",
    "n", "success_n", "sum_baseline", "sum_followup", "n_same_day", "sum_age",
    "sum_baseline_odi", "n_baseline_odi",
)  # fmt: skip


def _pairs_q(pairs: Iterable[tuple[date, Any]], date_field: str) -> Q:
    q = Q(pk__in=[])
    for month, surgeon_id in pairs:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        q |= Q(**{f"{date_field}__gte": month, f"{date_field}__lt": nxt, "surgeon_id": surgeon_id})
    return q


def cells_refresh(pairs: set[tuple[date, Any]] | None) -> int:
    """Rebuild the cells of these (month of surgery, surgeon) pairs, or all cells."""
    from endospine.measure.selectors import with_gain

    if pairs is not None and not pairs:
        return 0
    if pairs is not None and len(pairs) > WHOLE_REBUILD_PAIRS:
        pairs = None  # a long OR of pairs costs more than one pass over every fact
    cells = OutcomeCell.objects.all()
    facts = OutcomeFact.objects.all()
    if pairs is not None:
        cells = cells.filter(_pairs_q(pairs, "surgery_month"))
        facts = facts.filter(_pairs_q(pairs, "surgery_date"))
    cells.delete()
    _default, definitions = content.definitions()
    written = 0
    for definition in definitions.values():
        stored = {k: v for k, v in fact_sums(definition.rules).items() if k != "responded_n"}
        rows = (
            banded(with_gain(facts))
            .values("measure", "timepoint", "surgery_month", *DIMENSIONS)
            .annotate(min_closes_on=Min("closes_on"), max_closes_on=Max("closes_on"), **stored)
            .order_by()
        )
        key = def_key(definition)
        batch: list[dict[str, Any]] = []
        for row in rows.iterator(chunk_size=5000):
            row["definition"] = key
            batch.append(row)
            if len(batch) >= 5000:
                written += insert_rows(OutcomeCell, CELL_COLUMNS, batch)
                batch = []
        written += insert_rows(OutcomeCell, CELL_COLUMNS, batch)
    return written


def pairs_of(facts: QuerySet[OutcomeFact]) -> set[tuple[date, Any]]:
    return {
        (d.replace(day=1), s) for d, s in facts.values_list("surgery_date", "surgeon_id").distinct()
    }


# ---- reading -------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    measure: str
    timepoint: str
    definition: Definition
    today: date
    since: date | None = None
    until: date | None = None
    # False: every operation counts, closed window or not (volume, same-day discharge).
    eligible_only: bool = True


def _month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _months_q(months: Iterable[date], field: str) -> Q:
    q = Q(pk__in=[])
    for month in months:
        q |= Q(**{f"{field}__gte": month, f"{field}__lt": _month_after(month)})
    return q


def _inside(month: date, since: date | None, until: date | None) -> bool:
    """The whole month lies within [since, until]."""
    return (since is None or since <= month) and (
        until is None or _month_after(month) <= date.fromordinal(until.toordinal() + 1)
    )


def sums(
    tile: Tile,
    scope: Callable[[str], Q],
    group: tuple[str, ...],
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Sums per group of eligible facts (window closed), from cells where every fact
    of the month is eligible and from raw facts elsewhere. `scope(date_field)` gives the
    filter of sites/surgeons/quarters, for "surgery_month" (cells) or "surgery_date"."""
    cells = OutcomeCell.objects.filter(
        scope("surgery_month"),
        definition=def_key(tile.definition),
        measure=tile.measure,
        timepoint=tile.timepoint,
    )
    if tile.since:
        cells = cells.filter(surgery_month__gte=tile.since.replace(day=1))
    if tile.until:
        cells = cells.filter(surgery_month__lte=tile.until)
    months = cells.values("surgery_month").annotate(
        lo=Min("min_closes_on"), hi=Max("max_closes_on")
    )
    settled, raw = [], []
    for m in months:
        month = m["surgery_month"]
        closed = m["hi"] < tile.today or not tile.eligible_only
        if closed and _inside(month, tile.since, tile.until):
            settled.append(month)
        elif m["lo"] < tile.today or not tile.eligible_only:
            raw.append(month)
    result: dict[tuple[Any, ...], dict[str, Any]] = {}
    if settled:
        rows = cells.filter(_months_q(settled, "surgery_month")).values(*group)
        _merge(result, rows.annotate(**_cell_sums()).order_by(), group, "t_")
    if raw:
        from endospine.measure.selectors import with_gain

        facts = OutcomeFact.objects.filter(
            scope("surgery_date"),
            _months_q(raw, "surgery_date"),
            measure=tile.measure,
            timepoint=tile.timepoint,
        )
        if tile.eligible_only:
            facts = facts.filter(closes_on__lt=tile.today)
        if tile.since:
            facts = facts.filter(surgery_date__gte=tile.since)
        if tile.until:
            facts = facts.filter(surgery_date__lte=tile.until)
        rows = banded(with_gain(facts)).values(*group)
        _merge(result, rows.annotate(**fact_sums(tile.definition.rules)).order_by(), group)
    return result


def _merge(
    result: dict[tuple[Any, ...], dict[str, Any]],
    rows: Any,
    group: tuple[str, ...],
    prefix: str = "",
) -> None:
    for row in rows:
        key = tuple(row[g] for g in group)
        into = result.setdefault(key, dict.fromkeys(SUMS))
        for name in SUMS:
            value = row[prefix + name]
            if value is not None:
                into[name] = value if into[name] is None else into[name] + value
