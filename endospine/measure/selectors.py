"""Reads of the outcomes registry: every figure comes from OutcomeFact with one GROUP BY."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import (
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.utils.translation import gettext as _

from endospine.access import Action, sites_for
from endospine.accounts.models import Role, Site, User
from endospine.core import clock
from endospine.measure import content, stats, summary
from endospine.measure.models import OutcomeFact, QuarterVerification
from endospine.measure.registry import (
    ANSWER_MEASURES,
    EVENT_MEASURES,
    EVENT_TIMEPOINT,
    Definition,
    Rule,
)
from endospine.operate.validation import APPROACH

# A gain that is 10 on paper is 9.999... in floating point: allow for it.
EPSILON = 1e-6
GROUP_COLUMN = {
    "program": None,
    "site": "site_id",
    "surgeon": "surgeon_id",
    "approach": "approach",
    "level": "level",
    "diagnosis": "diagnosis",
}


@dataclass(frozen=True)
class Query:
    measure: str
    timepoint: str
    group_by: str = "program"
    since: date | None = None
    until: date | None = None
    definition: str | None = None


def success_q(rule: Rule) -> Q:
    """The rule as a filter on OutcomeFact (the SQL twin of Rule.success)."""
    if rule.kind == "values":
        return Q(followup__in=[float(v) for v in rule.values])
    if rule.kind == "events":
        return Q(followup__gte=1)
    q = Q(pk__in=[])
    if rule.points is not None:
        q |= Q(gain__gte=rule.points - EPSILON)
    if rule.percent is not None:
        q |= Q(baseline__gt=0, gain100__gte=F("baseline") * rule.percent - EPSILON)
    return q


def with_gain(qs: QuerySet[OutcomeFact]) -> QuerySet[OutcomeFact]:
    """Annotate the improvement that success_q compares (points, and x100 for percent)."""
    return qs.annotate(
        gain=ExpressionWrapper(F("baseline") - F("followup"), output_field=FloatField()),
        gain100=ExpressionWrapper(
            (F("baseline") - F("followup")) * Value(100.0), output_field=FloatField()
        ),
    )


def scope_for(user: User) -> Callable[[str], Q]:
    """The filter of the user's sites, for OutcomeCell or OutcomeFact."""
    sites = list(sites_for(user, Action.VIEW_AGGREGATES).values_list("pk", flat=True))
    return lambda _date_field: Q(site_id__in=sites)


def tile_for(query: Query, definition: Definition) -> summary.Tile:
    return summary.Tile(query.measure, query.timepoint, definition, clock.now().date(),
                        query.since, query.until)  # fmt: skip


def aggregate(user: User, query: Query, definition: Definition) -> list[dict[str, Any]]:
    """eligible, responded, means and successes per group of query.group_by."""
    column = GROUP_COLUMN[query.group_by]
    group = (column,) if column else ("measure",)
    found = summary.sums(tile_for(query, definition), scope_for(user), group)
    if not column and not found:
        found = {("program",): dict.fromkeys(summary.SUMS)}
    rows = []
    for key, sums in sorted(found.items(), key=lambda item: str(item[0][0])):
        n = sums["responded_n"] or 0
        rows.append({
            "key": key[0] if column else "program",
            "eligible": sums["n"] or 0,
            "responded_n": n,
            "baseline_mean": _mean(sums["sum_baseline"], n),
            "followup_mean": _mean(sums["sum_followup"], n),
            "success_n": sums["success_n"] or 0,
        })  # fmt: skip
    return rows


def _mean(total: float | None, n: int) -> float | None:
    return None if total is None or not n else total / n


def anonymous_code(surgeon_id: Any) -> str:
    return "S-" + hashlib.sha256(f"surgeon:{surgeon_id}".encode()).hexdigest()[:6].upper()


def labels(group_by: str, keys: list[Any]) -> dict[Any, str]:
    if group_by == "program":
        return {k: _("Whole program") for k in keys}
    if group_by == "site":
        return {s.pk: s.name for s in Site.objects.filter(pk__in=keys)}
    if group_by == "surgeon":
        names = {u.pk: u.display_name for u in User.objects.filter(pk__in=keys)}
        return {k: names.get(k, _("No surgeon recorded")) for k in keys}
    if group_by == "approach":
        return {k: str(APPROACH.get(k, k)) for k in keys}
    return {k: str(k).replace("_", " ").capitalize() for k in keys}


def _figures(row: dict[str, Any], measure: str, rule: Rule) -> dict[str, Any]:
    n, k = row["responded_n"], row["success_n"] or 0
    plain = measure in ANSWER_MEASURES or measure in EVENT_MEASURES
    base = None if plain or row["baseline_mean"] is None else stats.rounded(row["baseline_mean"], 1)
    follow = (
        None
        if row["followup_mean"] is None or measure in EVENT_MEASURES
        else stats.rounded(row["followup_mean"], 1)
    )
    return {
        "eligible": row["eligible"],
        "responded": n,
        "completeness": stats.rounded(n / row["eligible"], 4) if row["eligible"] else None,
        "baseline_mean": base,
        "followup_mean": follow,
        "change_mean": stats.rounded(row["followup_mean"] - row["baseline_mean"], 1)
        if base is not None and row["followup_mean"] is not None
        else None,
        "success_n": k,
        "success_rate": stats.rounded(k / n, 4) if n else None,
        "success_ci": list(stats.wilson(k, n)) if n else None,
    }


FIGURES = (
    "eligible",
    "responded",
    "completeness",
    "baseline_mean",
    "followup_mean",
    "change_mean",
    "success_n",
    "success_rate",
    "success_ci",
)


def suppress(groups: list[dict[str, Any]], min_cell: int) -> None:
    """Null every figure of a group below min_cell responses, and of one more group
    when a single one is hidden (its numbers would be the total minus the others)."""
    hidden = [i for i, g in enumerate(groups) if g["responded"] < min_cell]
    if len(groups) > 1:
        hidden = sorted(stats.complementary([g["responded"] for g in groups], hidden))
    for i, group in enumerate(groups):
        group["suppressed"] = i in hidden
        if i in hidden:
            group.update(dict.fromkeys(FIGURES))


def outcomes(user: User, query: Query, definition: Definition) -> dict[str, Any]:
    """The answer of GET /api/v1/outcomes for this user."""
    rule = definition.rules[query.measure]
    rows = aggregate(user, query, definition)
    names = labels(query.group_by, [r["key"] for r in rows])
    groups = []
    for row in rows:
        key, label = row["key"], names.get(row["key"], str(row["key"]))
        if query.group_by == "surgeon" and user.role == Role.SURGEON and key != user.pk:
            key = label = anonymous_code(key)
        groups.append({"key": str(key), "label": label, **_figures(row, query.measure, rule)})
    suppress(groups, settings.MIN_CELL)
    return {
        "measure": query.measure,
        "timepoint": query.timepoint,
        "definition": {
            "code": definition.code,
            "version": definition.version,
            "source": definition.source,
        },
        "min_cell": settings.MIN_CELL,
        "groups": groups,
    }


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    from endospine.core.errors import DomainError

    try:
        year, q = int(quarter[:4]), int(quarter[5:])
        if quarter[4] != "Q" or not 1 <= q <= 4 or len(quarter) != 6:
            raise ValueError
    except (ValueError, IndexError):
        raise DomainError("quarter", "give a quarter like 2026Q3") from None
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def verified_quarters() -> dict[Any, set[str]]:
    result: dict[Any, set[str]] = {}
    for surgeon_id, quarter in QuarterVerification.objects.values_list("surgeon_id", "quarter"):
        result.setdefault(surgeon_id, set()).add(quarter)
    return result


def default_definition() -> Definition:
    definition = content.definition(None)
    assert definition is not None
    return definition


__all__ = ["EVENT_TIMEPOINT", "Query", "outcomes"]


def verification_rows(surgeon: User) -> list[dict[str, Any]]:
    """The surgeon's last eight closed quarters: cases, adverse events, verified or not."""
    from endospine.measure.models import AdverseEvent
    from endospine.measure.public import period

    _start, _end, quarters = period(clock.now().date())
    done = verified_quarters().get(surgeon.pk, set())
    rows = []
    for quarter in reversed(quarters):
        first, last = quarter_bounds(quarter)
        cases = OutcomeFact.objects.filter(
            surgeon=surgeon, measure="odi", timepoint="12m", surgery_date__range=(first, last)
        ).count()
        events = AdverseEvent.objects.filter(
            episode__surgeon=surgeon, episode__operative_record__operation_date__range=(first, last)
        ).count()
        rows.append(
            {
                "quarter": quarter,
                "cases": cases,
                "adverse_events": events,
                "verified": quarter in done,
            }
        )
    return rows
