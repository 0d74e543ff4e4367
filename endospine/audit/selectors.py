from datetime import date, datetime, time
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from endospine.audit.models import AuditEvent


def search(
    *,
    patient_id: UUID | None = None,
    username: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if patient_id:
        events = events.filter(patient_id=patient_id)
    if username:
        events = events.filter(actor_label__iexact=username)
    if start:
        events = events.filter(at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        events = events.filter(at__lte=timezone.make_aware(datetime.combine(end, time.max)))
    return events.order_by("-at")
