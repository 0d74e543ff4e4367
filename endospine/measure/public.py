"""The public outcomes: per approach, the last 24 months, verified quarters only."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from endospine.core import clock
from endospine.measure import disclosure
from endospine.measure.models import OutcomeFact, PublicConsent, QuarterVerification
from endospine.measure.selectors import (
    aggregate,
    default_definition,
    quarter_bounds,
    quarter_of,
)
from endospine.operate.validation import APPROACH

PERIOD_QUARTERS = 8


def period(today: date) -> tuple[date, date, list[str]]:
    """The 8 quarters that ended before today: (first day, last day, quarter codes)."""
    year, q = today.year, (today.month - 1) // 3 + 1
    quarters = []
    for _i in range(PERIOD_QUARTERS):
        q -= 1
        if q == 0:
            year, q = year - 1, 4
        quarters.append(f"{year}Q{q}")
    quarters.reverse()
    return quarter_bounds(quarters[0])[0], quarter_bounds(quarters[-1])[1], quarters


def _verified_filter(quarters: list[str]) -> Q:
    """Facts of episodes whose surgeon verified the quarter of the surgery."""
    q = Q(pk__in=[])
    for surgeon_id, quarter in QuarterVerification.objects.filter(quarter__in=quarters).values_list(
        "surgeon_id", "quarter"
    ):
        start, end = quarter_bounds(quarter)
        q |= Q(surgeon_id=surgeon_id, surgery_date__range=(start, end))
    return q


def _counts(facts: QuerySet[OutcomeFact], today: date) -> dict[str, dict[str, int]]:
    """Per approach: the counts the public table shows (success by the default definition)."""
    rule = default_definition().rules["odi"]
    closed = Q(closes_on__lt=today)
    odi = facts.filter(measure="odi", timepoint="12m")
    result: dict[str, dict[str, int]] = {}
    row: Any
    for row in odi.values("approach").annotate(
        volume=Count("pk"),
        same_day=Count("pk", filter=Q(same_day=True)),
        eligible_12m=Count("pk", filter=closed),
        followed_12m=Count("pk", filter=closed & Q(responded=True)),
    ):
        result[row["approach"]] = dict.fromkeys(disclosure.COUNTS, 0)
        result[row["approach"]].update({k: v for k, v in row.items() if k != "approach"})
    for row in aggregate(odi.filter(closed), "approach", rule):
        result[row["key"]]["success_12m"] = row["success_n"] or 0
    events = facts.filter(measure="adverse_events", timepoint="90d", closes_on__lt=today)
    for row in events.values("approach").annotate(
        followed_90d=Count("pk", filter=Q(responded=True)),
        adverse_events_90d=Count("pk", filter=Q(responded=True, followup__gte=1)),
    ):
        result[row["approach"]].update(
            followed_90d=row["followed_90d"], adverse_events_90d=row["adverse_events_90d"]
        )
    return result


def _table(
    facts: QuerySet[OutcomeFact], today: date
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    per = _counts(facts, today)
    rows: list[dict[str, Any]] = [
        {"key": k, "label": str(APPROACH.get(k, k)), **per[k]} for k in sorted(per)
    ]
    total: dict[str, Any] = {"key": "program", "label": _("Whole program")}
    total.update({f: sum(int(r[f]) for r in rows) for f in disclosure.COUNTS})
    return disclosure.protect(rows, total, settings.PUBLIC_MIN_CELL)


def public_outcomes() -> dict[str, Any]:
    today = clock.now().date()
    start, end, quarters = period(today)
    facts = OutcomeFact.objects.filter(surgery_date__range=(start, end)).filter(
        _verified_filter(quarters)
    )
    approaches, total = _table(facts, today)
    verified = sorted(
        set(
            QuarterVerification.objects.filter(quarter__in=quarters).values_list(
                "quarter", flat=True
            )
        )
    )
    surgeons = []
    for consent in PublicConsent.objects.select_related("surgeon").order_by("surgeon__last_name"):
        rows, own_total = _table(facts.filter(surgeon=consent.surgeon), today)
        surgeons.append(
            {"name": consent.surgeon.display_name, "approaches": rows, "total": own_total}
        )
    definition = default_definition()
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "verified_quarters": verified,
        "min_cell": settings.PUBLIC_MIN_CELL,
        "definition": {
            "code": definition.code,
            "version": str(definition.version),
            "source": definition.source,
            "label": definition.label,
        },
        "approaches": approaches,
        "total": total,
        "surgeons": surgeons,
    }


__all__ = ["public_outcomes", "quarter_of"]
