"""Writing the audit trail. Call `record` for every read and write of patient data."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db import models
from django.http import HttpRequest

from endospine.audit.models import AuditAction, AuditEvent


def client_address(request: HttpRequest | None) -> str | None:
    """The caller's address: the peer, or the client named by a trusted proxy (core/proxy.py)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    request: HttpRequest | None,
    action: AuditAction | str,
    obj: models.Model,
    patient_id: UUID | None = None,
    detail: str = "",
    actor: Any = None,
) -> AuditEvent:
    """Append one audit row: who, which record, what action, when, from where.

    `detail` must never hold PHI (no names, no free text): it says *what kind*
    of access it was, e.g. "api", "page", "pdf".
    """
    user: Any = actor if actor is not None else getattr(request, "user", None)
    authenticated = bool(getattr(user, "is_authenticated", False))
    return AuditEvent.objects.create(
        actor=user if authenticated else None,
        actor_label=getattr(user, "username", "") if authenticated else "anonymous",
        action=action,
        record_type=obj._meta.label_lower,
        record_id=str(obj.pk),
        patient_id=patient_id,
        address=client_address(request),
        detail=detail[:200],
    )


def record_many(
    *,
    request: HttpRequest | None,
    action: AuditAction | str,
    objs: Sequence[models.Model],
    patient_ids: Sequence[UUID | None],
    detail: str = "",
    actor: Any = None,
) -> None:
    """Audit a page of records in one INSERT, so lists stay at a constant query count.

    `actor` names the user when there is no request (a background export).
    """
    user: Any = actor if actor is not None else getattr(request, "user", None)
    authenticated = bool(getattr(user, "is_authenticated", False))
    address = client_address(request)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user if authenticated else None,
            actor_label=getattr(user, "username", "") if authenticated else "anonymous",
            action=action,
            record_type=obj._meta.label_lower,
            record_id=str(obj.pk),
            patient_id=patient_id,
            address=address,
            detail=detail[:200],
        )
        for obj, patient_id in zip(objs, patient_ids, strict=True)
    )
