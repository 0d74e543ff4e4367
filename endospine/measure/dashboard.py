"""What the program lead's dashboard shows beyond the contract's tables: trends by
quarter, the case-mix adjusted funnel plot, completeness and responders vs non-responders.
Each is one GROUP BY over OutcomeFact."""

from dataclasses import dataclass
from typing import Any

from endospine.accounts.models import User
from endospine.measure import stats, summary
from endospine.measure.registry import FOLLOWUP_TIMEPOINTS, Definition
from endospine.measure.selectors import (
    Query,
    labels,
    outcomes,
    quarter_of,
    scope_for,
    tile_for,
)

CASE_MIX = "baseline ODI band (<=40, 41-60, >60, unknown) x age band (<40, 40-59, 60+)"


def trends(user: User, query: Query, definition: Definition) -> list[dict[str, Any]]:
    """Success rate per quarter of surgery."""
    by_month = summary.sums(tile_for(query, definition), scope_for(user), ("surgery_month",))
    quarters: dict[str, list[int]] = {}
    for (month,), sums in by_month.items():
        tally = quarters.setdefault(quarter_of(month), [0, 0, 0])
        tally[0] += sums["n"] or 0
        tally[1] += sums["responded_n"] or 0
        tally[2] += sums["success_n"] or 0
    return [
        {
            "quarter": q,
            "eligible": e,
            "responded": n,
            "success_rate": round(k / n, 3) if n else None,
        }
        for q, (e, n, k) in sorted(quarters.items())
    ]


@dataclass(frozen=True)
class FunnelPoint:
    key: str
    label: str
    n: int
    observed: int
    expected: float
    rate: float
    adjusted: float
    outside95: bool
    outside998: bool


def funnel(user: User, query: Query, definition: Definition) -> tuple[float, list[FunnelPoint]]:
    """Per surgeon: observed successes against those expected from the program's rate
    in each case-mix stratum (indirect standardisation), with 95% / 99.8% limits."""
    group = ("surgeon_id", "odi_band", "age_band")
    cells = summary.sums(tile_for(query, definition), scope_for(user), group)
    cases: list[stats.Case] = []
    for (surgeon_id, odi_band, age_band), sums in sorted(cells.items(), key=str):
        stratum, unit = f"{odi_band}|{age_band}", str(surgeon_id)
        n, k = sums["responded_n"] or 0, sums["success_n"] or 0
        cases += [stats.Case(unit, stratum, True)] * k
        cases += [stats.Case(unit, stratum, False)] * (n - k)
    p0, units = stats.indirect_standardise(cases)
    names = labels("surgeon", [u.unit for u in units])
    points = []
    for u in units:
        adjusted = u.adjusted(p0)
        lo95, hi95 = stats.funnel_limits(p0, u.n, stats.Z95)
        lo998, hi998 = stats.funnel_limits(p0, u.n, stats.Z998)
        points.append(
            FunnelPoint(
                u.unit,
                names.get(u.unit, u.unit),
                u.n,
                u.observed,
                u.expected,
                u.observed / u.n,
                adjusted,
                not lo95 <= adjusted <= hi95,
                not lo998 <= adjusted <= hi998,
            )
        )
    return p0, points


def completeness(user: User, query: Query, definition: Definition) -> list[dict[str, Any]]:
    """Follow-up completeness per timepoint, for the program, each site and each surgeon."""
    rows = []
    for tp in FOLLOWUP_TIMEPOINTS:
        for group_by in ("program", "site", "surgeon"):
            q = Query(
                query.measure if query.measure in ("odi", "nrs_back", "nrs_leg") else "odi",
                tp,
                group_by,
                query.since,
                query.until,
            )
            for g in outcomes(user, q, definition)["groups"]:
                rows.append({"timepoint": tp, "group_by": group_by, **g})
    return rows


def responders(user: User, query: Query, definition: Definition) -> list[dict[str, Any]]:
    """How those who answered and those who did not differed at baseline."""
    groups = summary.sums(tile_for(query, definition), scope_for(user), ("responded",))
    rows = []
    for (responded,), s in sorted(groups.items(), reverse=True):
        n = s["n"] or 0
        rows.append(
            {
                "responded": responded,
                "n": n,
                "age": _r(s["sum_age"] / n if n else None),
                "baseline_odi": _r(
                    s["sum_baseline_odi"] / s["n_baseline_odi"] if s["n_baseline_odi"] else None
                ),
                "same_day": _r(s["n_same_day"] * 100 / n if n else None),
            }
        )
    return rows


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
