"""The public outcomes: per approach, the last 24 months, verified quarters only."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from endospine.core import clock
from endospine.measure import disclosure, summary
from endospine.measure.models import PublicConsent, QuarterVerification
from endospine.measure.selectors import (
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


def _verified(quarters: list[str]) -> Callable[[str], Q]:
    """Facts (or cells) of episodes whose surgeon verified the quarter of the surgery."""
    pairs = list(
        QuarterVerification.objects.filter(quarter__in=quarters).values_list(
            "surgeon_id", "quarter"
        )
    )

    def scope(date_field: str) -> Q:
        q = Q(pk__in=[])
        for surgeon_id, quarter in pairs:
            q |= Q(surgeon_id=surgeon_id, **{f"{date_field}__range": quarter_bounds(quarter)})
        return q

    return scope


def _counts(scope: Callable[[str], Q], start: date, end: date) -> dict[str, dict[str, int]]:
    """Per approach: the counts the public table shows (success by the default definition)."""
    today = clock.now().date()
    definition = default_definition()
    tiles = {
        "all": summary.Tile("odi", "12m", definition, today, start, end, eligible_only=False),
        "12m": summary.Tile("odi", "12m", definition, today, start, end),
        "90d": summary.Tile("adverse_events", "90d", definition, today, start, end),
    }
    found = {name: summary.sums(tile, scope, ("approach",)) for name, tile in tiles.items()}
    result: dict[str, dict[str, int]] = {}
    for (approach,), sums in found["all"].items():
        at12 = found["12m"].get((approach,), {})
        at90 = found["90d"].get((approach,), {})
        result[approach] = {
            "volume": sums["n"] or 0,
            "same_day": sums["n_same_day"] or 0,
            "eligible_12m": at12.get("n") or 0,
            "followed_12m": at12.get("responded_n") or 0,
            "success_12m": at12.get("success_n") or 0,
            "followed_90d": at90.get("responded_n") or 0,
            "adverse_events_90d": at90.get("success_n") or 0,
        }
    return result


def _table(
    scope: Callable[[str], Q], start: date, end: date
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    per = _counts(scope, start, end)
    rows: list[dict[str, Any]] = [
        {"key": k, "label": str(APPROACH.get(k, k)), **per[k]} for k in sorted(per)
    ]
    total: dict[str, Any] = {"key": "program", "label": _("Whole program")}
    total.update({f: sum(int(r[f]) for r in rows) for f in disclosure.COUNTS})
    return disclosure.protect(rows, total, settings.PUBLIC_MIN_CELL)


def public_outcomes() -> dict[str, Any]:
    today = clock.now().date()
    start, end, quarters = period(today)
    scope = _verified(quarters)
    approaches, total = _table(scope, start, end)
    verified = sorted(
        set(
            QuarterVerification.objects.filter(quarter__in=quarters).values_list(
                "quarter", flat=True
            )
        )
    )
    surgeons = []
    for consent in PublicConsent.objects.select_related("surgeon").order_by("surgeon__last_name"):
        own = consent.surgeon_id

        def own_scope(field: str, own: Any = own) -> Q:
            return scope(field) & Q(surgeon_id=own)

        rows, own_total = _table(own_scope, start, end)
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
