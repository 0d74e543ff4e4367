"""Reads of the audit trail, for the admin's search page."""

from datetime import date, datetime, time
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from endospine.accounts.models import User
from endospine.audit.models import AuditEvent

MAX_WORDS = 4


def _as_uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _patient_ids(term: str) -> list[UUID]:
    """Patients whose id, MRN (exact) or name (every word) matches the term."""
    from endospine.journey.models import Patient

    exact = _as_uuid(term)
    if exact is not None:
        return [exact]
    by_name = Q()
    for word in term.split()[:MAX_WORDS]:
        by_name &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    found = Patient.objects.filter(Q(mrn__iexact=term) | by_name)
    return list(found.values_list("pk", flat=True)[:200])


def _actor_filter(term: str) -> Q:
    """Events by the user of that username, or by staff whose name matches every word."""
    by_name = Q()
    for word in term.split()[:MAX_WORDS]:
        by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    people = User.objects.filter(Q(username__iexact=term) | by_name).values_list("pk", flat=True)
    return Q(actor_label__iexact=term) | Q(actor_id__in=list(people[:200]))


def search(
    *,
    patient: str = "",
    user: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events newest first; `patient` is an id, an MRN or a name, `user` a username or a name."""
    events = AuditEvent.objects.all()
    if patient.strip():
        events = events.filter(patient_id__in=_patient_ids(patient.strip()))
    if user.strip():
        events = events.filter(_actor_filter(user.strip()))
    if start:
        events = events.filter(at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        events = events.filter(at__lte=timezone.make_aware(datetime.combine(end, time.max)))
    return events.order_by("-at")
