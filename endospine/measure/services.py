"""Writes of the outcomes registry. Each keeps the outcome facts in step with its rows."""

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest

from endospine.accounts.models import User
from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.core import clock
from endospine.core.errors import DomainError
from endospine.journey.models import Episode
from endospine.journey.services import record_change
from endospine.measure import content, facts, summary
from endospine.measure.models import (
    AdverseEvent,
    ContactAttempt,
    FollowUpAnswer,
    OutcomeFact,
    QuarterVerification,
)
from endospine.measure.registry import CLAVIEN_DINDO, FOLLOWUP_TIMEPOINTS
from endospine.operate.models import OperativeRecord
from endospine.recover.models import Alert

BATCH = 500


@transaction.atomic
def registry_refresh(*, episode_ids: Iterable[UUID]) -> int:
    """Rebuild the outcome facts of these episodes from their raw rows, and the summary
    cells of their (month, surgeon) pairs; returns fact rows written.

    Every write that changes a source row (a PROM answer, an adverse event, the
    operative record, a discharge) calls this for its episode, so the facts stay
    equal to what the raw rows say (tests recompute them to prove it).
    """
    ids = list(dict.fromkeys(episode_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        _sync_operative_events(chunk)
        old = OutcomeFact.objects.filter(episode_id__in=chunk)
        pairs = summary.pairs_of(old)
        old.delete()
        rows = facts.build(chunk)
        facts.insert(rows)
        pairs |= {(row["surgery_date"].replace(day=1), row["surgeon_id"]) for row in rows}
        summary.cells_refresh(pairs)
        written += len(rows)
    return written


def registry_refresh_all() -> int:
    ids = OperativeRecord.objects.values_list("episode_id", flat=True)
    return registry_refresh(episode_ids=list(ids))


def _sync_operative_events(episode_ids: list[UUID]) -> None:
    """Intra-operative events of signed operative records become adverse events, once."""
    by_operative = {
        t.operative_event: t.code for t in content.event_types().values() if t.operative_event
    }
    records = OperativeRecord.objects.filter(episode_id__in=episode_ids, signed_at__isnull=False)
    existing = set(
        AdverseEvent.objects.filter(
            episode_id__in=episode_ids, source=AdverseEvent.Source.OPERATIVE_RECORD
        ).values_list("episode_id", "code")
    )
    new = [
        AdverseEvent(
            episode_id=r.episode_id,
            code=by_operative[e],
            occurred_on=r.operation_date,
            clavien_dindo="",
            source=AdverseEvent.Source.OPERATIVE_RECORD,
            reported_by_id=r.signed_by_id,
        )
        for r in records
        for e in r.events
        if e in by_operative and (r.episode_id, by_operative[e]) not in existing
    ]
    AdverseEvent.objects.bulk_create(new)


def _check_event(code: str, grade: str, occurred_on: date, episode: Episode) -> None:
    errors = []
    if code not in content.event_types():
        errors.append(("code", "choose an adverse event from the list"))
    if grade not in CLAVIEN_DINDO:
        errors.append(("clavien_dindo", "choose a Clavien-Dindo grade"))
    surgery = getattr(getattr(episode, "operative_record", None), "operation_date", None)
    if surgery is None:
        errors.append(("episode", "record the operation before its adverse events"))
    elif not surgery <= occurred_on <= clock.now().date():
        errors.append(("occurred_on", "give a date from the operation to today"))
    if errors:
        raise DomainError.many(errors)


@transaction.atomic
def adverse_event_record(
    *,
    episode: Episode,
    code: str,
    clavien_dindo: str,
    occurred_on: date,
    actor: User,
    alert: Alert | None = None,
    request: HttpRequest | None = None,
) -> AdverseEvent:
    """Register one adverse event (from an alert when `alert` is given) and refresh the facts."""
    _check_event(code, clavien_dindo, occurred_on, episode)
    if alert is not None and alert.episode_id != episode.pk:
        raise DomainError("alert", "this alert belongs to another episode")
    event = AdverseEvent.objects.create(
        episode=episode,
        code=code,
        clavien_dindo=clavien_dindo,
        occurred_on=occurred_on,
        source=AdverseEvent.Source.ALERT if alert else AdverseEvent.Source.STAFF,
        alert=alert,
        reported_by=actor,
    )
    record_change(
        episode=episode,
        obj=event,
        action=AuditAction.CREATE,
        kind="adverse_event_recorded",
        summary="Adverse event registered",
        actor=actor,
        detail="adverse event",
        request=request,
    )
    registry_refresh(episode_ids=[episode.pk])
    return event


@transaction.atomic
def followup_answer_record(
    *,
    episode: Episode,
    timepoint: str,
    satisfaction: int | None,
    returned_to_work: bool | None,
    returned_to_work_on: date | None,
    actor: User,
    request: HttpRequest | None = None,
) -> FollowUpAnswer:
    """Store satisfaction (NASS 1-4) and work status at a follow-up timepoint."""
    errors = []
    if timepoint not in FOLLOWUP_TIMEPOINTS:
        errors.append(("timepoint", "choose a follow-up timepoint"))
    if satisfaction is not None and not 1 <= satisfaction <= 4:
        errors.append(("satisfaction", "choose one of the four answers"))
    if returned_to_work_on and not returned_to_work:
        errors.append(("returned_to_work_on", "give a date only when back at work"))
    if errors:
        raise DomainError.many(errors)
    answer, _ = FollowUpAnswer.objects.update_or_create(
        episode=episode,
        timepoint=timepoint,
        defaults={
            "satisfaction": satisfaction,
            "returned_to_work": returned_to_work,
            "returned_to_work_on": returned_to_work_on,
            "authored_on": clock.now().date(),
            "recorded_by": actor,
        },
    )
    record(
        request=request,
        action=AuditAction.CREATE,
        obj=answer,
        patient_id=episode.patient_id,
        detail="follow-up answer",
        actor=actor,
    )
    registry_refresh(episode_ids=[episode.pk])
    return answer


@transaction.atomic
def contact_attempt_record(
    *, episode: Episode, timepoint: str, outcome: str, actor: User, request: HttpRequest | None
) -> ContactAttempt:
    if outcome not in ContactAttempt.Outcome.values:
        raise DomainError("outcome", "choose how the contact went")
    attempt = ContactAttempt.objects.create(
        episode=episode, timepoint=timepoint[:10], outcome=outcome, by=actor
    )
    record(
        request=request,
        action=AuditAction.CREATE,
        obj=attempt,
        patient_id=episode.patient_id,
        detail="follow-up contact",
        actor=actor,
    )
    return attempt


@transaction.atomic
def quarter_verify(
    *, surgeon: User, quarter: str, cases: int, adverse_events: int, request: HttpRequest | None
) -> QuarterVerification:
    """The surgeon confirms their cases and adverse events of a closed quarter."""
    from endospine.measure.selectors import quarter_bounds

    _start, end = quarter_bounds(quarter)
    if end >= clock.now().date():
        raise DomainError("quarter", "a quarter can be verified once it has ended")
    verification, created = QuarterVerification.objects.get_or_create(
        surgeon=surgeon,
        quarter=quarter,
        defaults={"cases": cases, "adverse_events": adverse_events},
    )
    if not created:
        raise DomainError("quarter", "you have already verified this quarter", status=409)
    record(
        request=request,
        action=AuditAction.CREATE,
        obj=verification,
        detail="quarter verified",
        actor=surgeon,
    )
    return verification


@transaction.atomic
def alert_resolve_as_adverse_event(
    *,
    alert: Alert,
    actor: User,
    note: str,
    code: str,
    clavien_dindo: str,
    occurred_on: date,
    request: HttpRequest | None = None,
) -> AdverseEvent:
    """Resolve a home check-in alert and register what it was as an adverse event,
    linked to the alert: both or neither."""
    from endospine.recover.services import alert_resolve

    episode = Episode.objects.select_related("operative_record").get(pk=alert.episode_id)
    _check_event(code, clavien_dindo, occurred_on, episode)
    alert_resolve(alert=alert, actor=actor, note=note, request=request)
    return adverse_event_record(
        episode=episode,
        code=code,
        clavien_dindo=clavien_dindo,
        occurred_on=occurred_on,
        actor=actor,
        alert=alert,
        request=request,
    )
