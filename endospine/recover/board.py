"""What recover adds to the staff worklist: open alerts, check-ins, missed check-ins, pain.

Every value is a correlated subquery of the one worklist query (see
endospine/journey/board.py), so a page costs the same queries whatever its size.
"""

from datetime import timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from endospine.core import clock
from endospine.journey.board import Column, SortKey, register
from endospine.recover import config
from endospine.recover.models import Alert, Checkin, ScheduledCheckin
from endospine.recover.selectors import level_rank_expression


def _open_alerts() -> Any:
    return (
        Alert.objects.filter(episode=OuterRef("pk"), resolved_at__isnull=True)
        .annotate(rank=level_rank_expression("severity"))
        .order_by("-rank", "created_at")
    )


def _checkins(offset: int) -> Any:
    return Checkin.objects.filter(episode=OuterRef("pk")).order_by("-submitted_at")[
        offset : offset + 1
    ]


def _pain(offset: int, field: str) -> Any:
    """A pain score of the last (0) or previous (1) check-in, as an integer or None."""
    value = Cast(KeyTextTransform(field, "answers"), IntegerField())
    return Subquery(_checkins(offset).annotate(v=value).values("v"), output_field=IntegerField())


def _count(queryset: Any) -> Any:
    counted = queryset.values("episode").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def annotations() -> dict[str, Any]:
    # "Missed" on the board: not done a day after it fell due (the default
    # overdue delay; per-site delays are applied on the episode's own page).
    late = clock.now() - timedelta(hours=config.DEFAULT_OVERDUE_HOURS)
    return {
        "alert_rank": Coalesce(Subquery(_open_alerts().values("rank")[:1]), Value(0)),
        "alert_level": Subquery(_open_alerts().values("severity")[:1]),
        "alert_id": Subquery(_open_alerts().values("pk")[:1]),
        "alert_acknowledged": Subquery(_open_alerts().values("acknowledged_at")[:1]),
        "open_alerts": _count(Alert.objects.filter(episode=OuterRef("pk"), resolved_at=None)),
        "missed_checkins": _count(
            ScheduledCheckin.objects.filter(
                episode=OuterRef("pk"), completed_at__isnull=True, due_at__lt=late
            )
        ),
        "last_checkin_at": Subquery(_checkins(0).values("submitted_at")),
        "last_checkin_level": Subquery(_checkins(0).values("level")),
        "last_checkin_id": Subquery(_checkins(0).values("pk")),
        "last_pain_leg": _pain(0, "pain_leg"),
        "last_pain_back": _pain(0, "pain_back"),
        "previous_pain_leg": _pain(1, "pain_leg"),
        "previous_pain_back": _pain(1, "pain_back"),
    }


def register_board() -> None:
    register(
        annotate=annotations,
        columns=(
            Column("alert", _("Open alert"), "recover/board/alert.html", order=10),
            Column("checkin", _("Last check-in"), "recover/board/checkin.html", order=30),
            Column("missed", _("Missed check-ins"), "recover/board/missed.html", order=40),
            Column("pain", _("Pain now (trend)"), "recover/board/pain.html", order=50),
        ),
        sort=(
            SortKey("alert_rank", priority=10),
            SortKey("missed_checkins", priority=20),
        ),
    )
