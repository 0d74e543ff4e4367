"""What the program lead's dashboard shows beyond the contract's tables: trends by
quarter, the case-mix adjusted funnel plot, completeness and responders vs non-responders.
Each is one GROUP BY over OutcomeFact."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Case, Count, Q, Value, When
from django.db.models.functions import ExtractQuarter, ExtractYear

from endospine.accounts.models import User
from endospine.measure import stats
from endospine.measure.registry import FOLLOWUP_TIMEPOINTS, Definition
from endospine.measure.selectors import (
    Query,
    facts_for,
    labels,
    outcomes,
    success_q,
    with_gain,
)

CASE_MIX = "baseline ODI band (<=40, 41-60, >60, unknown) x age band (<40, 40-59, 60+)"


def trends(user: User, query: Query, definition: Definition) -> list[dict[str, Any]]:
    """Success rate per quarter of surgery."""
    qs = facts_for(user, query).annotate(
        year=ExtractYear("surgery_date"), q=ExtractQuarter("surgery_date")
    )
    return _by_quarter(qs, definition.rules[query.measure])


def _by_quarter(qs: Any, rule: Any) -> list[dict[str, Any]]:
    responded = Q(responded=True)
    rows = (
        with_gain(qs)
        .annotate(ok=Case(When(responded & success_q(rule), then=1), default=0))
        .values("year", "q")
        .annotate(
            eligible=Count("pk"),
            responded_n=Count("pk", filter=responded),
            success_n=Count("pk", filter=Q(ok=1)),
        )
        .order_by("year", "q")
    )
    result = []
    for row in rows:
        n = row["responded_n"]
        result.append(
            {
                "quarter": f"{row['year']}Q{row['q']}",
                "eligible": row["eligible"],
                "responded": n,
                "success_rate": round(row["success_n"] / n, 3) if n else None,
            }
        )
    return result


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


def _band(field: str, cuts: tuple[tuple[float, str], ...], top: str) -> Case:
    whens = [When(**{f"{field}__lte": cut}, then=Value(name)) for cut, name in cuts]
    return Case(
        When(**{f"{field}__isnull": True}, then=Value("unknown")), *whens, default=Value(top)
    )


def funnel(user: User, query: Query, definition: Definition) -> tuple[float, list[FunnelPoint]]:
    """Per surgeon: observed successes against those expected from the program's rate
    in each case-mix stratum (indirect standardisation), with 95% / 99.8% limits."""
    rule = definition.rules[query.measure]
    qs = with_gain(facts_for(user, query).filter(responded=True)).annotate(
        ob=_band("baseline_odi", ((40, "<=40"), (60, "41-60")), ">60"),
        ab=_band("age", ((39, "<40"), (59, "40-59")), "60+"),
        ok=Case(When(success_q(rule), then=1), default=0),
    )
    cells = qs.values("surgeon_id", "ob", "ab").annotate(
        n=Count("pk"), k=Count("pk", filter=Q(ok=1))
    )
    cases: list[stats.Case] = []
    for cell in cells:
        stratum = f"{cell['ob']}|{cell['ab']}"
        unit = str(cell["surgeon_id"])
        cases += [stats.Case(unit, stratum, True)] * cell["k"]
        cases += [stats.Case(unit, stratum, False)] * (cell["n"] - cell["k"])
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


def responders(user: User, query: Query) -> list[dict[str, Any]]:
    """How those who answered and those who did not differed at baseline."""
    rows = (
        facts_for(user, query)
        .values("responded")
        .annotate(
            n=Count("pk"),
            age=Avg("age"),
            odi=Avg("baseline_odi"),
            same_day=Avg(Case(When(same_day=True, then=1.0), default=0.0)),
        )
        .order_by("-responded")
    )
    return [
        {
            "responded": r["responded"],
            "n": r["n"],
            "age": _r(r["age"]),
            "baseline_odi": _r(r["odi"]),
            "same_day": _r(r["same_day"] * 100 if r["same_day"] is not None else None),
        }
        for r in rows
    ]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
