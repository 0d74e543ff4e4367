"""Writes on accounts: ending sessions, failed sign-ins."""

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from endospine.accounts.models import User
from endospine.audit.models import AuditAction
from endospine.audit.services import record


@transaction.atomic
def sessions_end(
    *, user: User, actor: User | None, request: HttpRequest | None, keep_current: bool = False
) -> None:
    """Sign `user` out of every session (ASVS 7.4.5), or every other one (7.4.3).

    With `keep_current`, the request's own session (which must be the user's)
    stays signed in.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    if keep_current and request is not None:
        update_session_auth_hash(request, user)
    patient = getattr(user, "patient", None)
    record(
        request=request,
        action=AuditAction.UPDATE,
        obj=user,
        patient_id=patient.pk if patient else None,
        actor=actor,
        detail="other sessions ended" if keep_current else "all sessions ended",
    )
