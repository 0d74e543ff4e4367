"""What the proms step adds to the staff worklist: questionnaires overdue."""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from endospine.core import clock
from endospine.journey.board import Column, register
from endospine.proms.models import Timepoint


def annotations() -> dict[str, Any]:
    today = clock.now().date()
    overdue = (
        Timepoint.objects.filter(
            episode=OuterRef("pk"), completed_at__isnull=True, due_on__lt=today
        )
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .values("episode")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {"proms_overdue": Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0))}


def register_board() -> None:
    register(
        annotate=annotations,
        columns=(Column("proms", _("PROMs overdue"), "proms/board/overdue.html", order=60),),
    )
