"""Writes of the recover step: the schedule, check-ins with their alerts, alert handling."""

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from endospine.accounts.models import User
from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.core import clock
from endospine.core.errors import DomainError
from endospine.journey.models import Episode, Stage
from endospine.journey.services import record_change
from endospine.recover import config, notify
from endospine.recover.models import (
    Alert,
    AlertKind,
    Checkin,
    Level,
    Notification,
    ScheduledCheckin,
    level_rank,
)
from endospine.recover.triage import triage

MAX_NOTE = 2000
MAX_KEY = 100
# Check-ins are accepted once the patient has left theatre, and after the
# episode closes (a late red flag must still reach a person).
CHECKIN_STAGES = (Stage.OPERATE, Stage.RECOVER, Stage.COMPLETE)


def start_recovery(*, episode: Episode, discharged_at: datetime, actor: User | None) -> None:
    """Lay out the episode's check-ins; called by discharge inside its transaction.

    Safe to call twice: days already scheduled are kept. Also asks the PROMs
    step to schedule its follow-up, when that step provides it.
    """
    days = config.checkin_days(episode.site)
    existing = set(episode.scheduled_checkins.values_list("day", flat=True))
    ScheduledCheckin.objects.bulk_create(
        [
            ScheduledCheckin(episode=episode, day=day, due_at=discharged_at + timedelta(days=day))
            for day in days
            if day not in existing
        ]
    )
    record_change(
        episode=episode,
        obj=episode,
        action=AuditAction.CREATE,
        kind="recovery_started",
        summary=f"Check-ins scheduled for days {', '.join(str(d) for d in days)}",
        actor=actor,
        detail="checkin schedule",
        request=None,
        data={"days": list(days), "discharged_at": discharged_at.isoformat()},
    )
    try:
        from endospine.proms.services import schedule_followup
    except ImportError:
        return
    schedule_followup(episode=episode, surgery_date=episode.surgery_date or discharged_at.date())


def _digest(answers: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(answers, sort_keys=True, default=str).encode()).hexdigest()


def _check_key(key: str) -> str:
    key = key.strip()
    if len(key) > MAX_KEY or not key.isprintable() or not key.isascii():
        raise DomainError("Idempotency-Key", f"use up to {MAX_KEY} printable ASCII characters")
    return key


def _replay(existing: Checkin, digest: str) -> tuple[Checkin, bool]:
    # A reused key with different answers must not silently drop the new report.
    if existing.request_digest != digest:
        raise DomainError("Idempotency-Key", "this key was already used for a different check-in")
    return existing, False


def _days_since_surgery(episode: Episode) -> int | None:
    start = episode.surgery_date or episode.discharged_on
    return (clock.now().date() - start).days if start else None


def _claim_slot(episode: Episode, now: datetime) -> ScheduledCheckin | None:
    """Complete the earliest open slot due by tomorrow, in one statement; None if there is none.

    UPDATE ... RETURNING instead of SELECT FOR UPDATE then UPDATE (one round
    trip fewer). Two concurrent check-ins cannot take the same slot: the
    second waits for the first's row lock, re-checks `completed_at IS NULL`
    and claims nothing, as SELECT FOR UPDATE did.
    """
    table = ScheduledCheckin._meta.db_table
    sql = f"""
        UPDATE {table} SET completed_at = %s
        WHERE completed_at IS NULL AND id = (
            SELECT id FROM {table}
            WHERE episode_id = %s AND completed_at IS NULL AND due_at <= %s AND due_at > %s
            ORDER BY due_at LIMIT 1)
        RETURNING id, day, due_at
    """  # noqa: S608 (the table name is our model's; values are parameters)
    params = [now, episode.pk, now + timedelta(days=1), now - config.missed_after(episode.site)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [_db_value(v) for v in params])
        row = cursor.fetchone()
    if row is None:
        return None
    slot_id, day, due_at = row
    return ScheduledCheckin(
        id=slot_id if isinstance(slot_id, uuid.UUID) else uuid.UUID(slot_id),
        episode=episode,
        day=day,
        due_at=due_at,
        completed_at=now,
    )


def _db_value(value: Any) -> Any:
    # A raw cursor gets what the ORM would send: SQLite stores UUIDs as hex.
    if isinstance(value, uuid.UUID):
        return value.hex if connection.vendor == "sqlite" else value
    return value


def checkin_submit(
    *,
    episode: Episode,
    answers: dict[str, Any],
    actor: User,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
    same_answers_within: timedelta | None = None,
) -> tuple[Checkin, bool]:
    """Store a check-in with its triage and, when needed, its alert, in one transaction.

    Returns (check-in, created). The same Idempotency-Key returns the stored
    check-in (created False) and never makes a second alert. With
    `same_answers_within` (the page: a form sent again after "back" carries a
    new key), identical answers sent that recently are the same check-in too.

    Lean on purpose (docs/recover.md, "Cost of a check-in"): no read before
    the write; the unique (episode, key) constraint catches a reused key, and
    then the whole transaction rolls back and the stored row answers.
    """
    key = _check_key(idempotency_key)
    if episode.stage not in CHECKIN_STAGES:
        raise DomainError("episode", "check-ins open once the operation has taken place")
    answers = {k: v for k, v in answers.items() if v is not None}
    if not set(answers) - {"days_since_surgery"}:
        # Saving nothing as "routine" would tell the care team all is well.
        raise DomainError("answers", _("Answer at least one question before sending."))
    digest = _digest(answers)
    if same_answers_within is not None:
        # The page only: one indexed read, off the API's lean path.
        resent = _recent_same(episode, digest, same_answers_within)
        if resent is not None:
            record(
                request=request,
                action=AuditAction.READ,
                obj=resent,
                patient_id=episode.patient_id,
                detail="checkin resubmitted",
                actor=actor,
            )
            return resent, False
    if answers.get("days_since_surgery") is None and _days_since_surgery(episode) is not None:
        answers["days_since_surgery"] = max(0, _days_since_surgery(episode) or 0)
    result = triage(
        answers,
        emergency_number=episode.site.emergency_number,
        care_team_phone=episode.site.care_team_phone,
        review_hours=config.review_window_hours(episode.site),
    )
    try:
        with transaction.atomic():
            checkin = _store(episode, answers, result.as_dict(), actor, key, digest, request)
    except IntegrityError:
        if not key:
            raise
        # This key was used before (a retry, or a concurrent retry that
        # committed first): nothing of ours was kept; answer with the stored row.
        existing = Checkin.objects.get(episode=episode, idempotency_key=key)
        record(
            request=request,
            action=AuditAction.READ,
            obj=existing,
            patient_id=episode.patient_id,
            detail="checkin replay",
            actor=actor,
        )
        return _replay(existing, digest)
    return checkin, True


def _recent_same(episode: Episode, digest: str, within: timedelta) -> Checkin | None:
    return (
        Checkin.objects.filter(
            episode=episode, request_digest=digest, submitted_at__gte=clock.now() - within
        )
        .order_by("-submitted_at")
        .first()
    )


def _store(
    episode: Episode,
    answers: dict[str, Any],
    result: dict[str, Any],
    actor: User,
    key: str,
    digest: str,
    request: HttpRequest | None,
) -> Checkin:
    now = clock.now()
    slot = _claim_slot(episode, now)
    checkin = Checkin.objects.create(
        episode=episode,
        scheduled=slot,
        submitted_by=actor,
        submitted_at=now,
        answers=answers,
        level=result["level"],
        reasons=result["reasons"],
        advice=result["advice"],
        ruleset_version=result["ruleset_version"],
        idempotency_key=key,
        request_digest=digest,
    )
    # No timeline row of its own: the timeline reads check-ins from this table
    # (recover.selectors.timeline_rows), which keeps this path at one INSERT less.
    record(
        request=request,
        action=AuditAction.CREATE,
        obj=checkin,
        patient_id=episode.patient_id,
        detail=f"checkin {checkin.level}",
        actor=actor,
    )
    if checkin.level != Level.ROUTINE:
        # Sets checkin.grouped_alert (raised or joined): the answer needs no re-read.
        _raise_alert(episode, checkin, request, actor)
    return checkin


def _raise_alert(
    episode: Episode, checkin: Checkin, request: HttpRequest | None, actor: User
) -> Alert:
    """Open an alert for the check-in, or join the patient's open one.

    A second red-flag check-in while an alert of the episode is unresolved
    joins it (one row per patient on the list). When it is more severe, the
    alert takes the higher level, must be acknowledged again, and the faster
    escalation timer restarts from now.
    """
    current = (
        Alert.objects.select_for_update()
        .select_related("site")
        .filter(episode=episode, kind=AlertKind.CHECKIN, resolved_at__isnull=True)
        .order_by("created_at")
        .first()
    )
    if current is not None:
        return _join_alert(current, checkin, request, actor)
    alert = Alert.objects.create(
        episode=episode,
        site=episode.site,
        checkin=checkin,
        severity=checkin.level,
        created_at=checkin.submitted_at,
        last_checkin_at=checkin.submitted_at,
        next_escalation_at=checkin.submitted_at
        + config.escalation_interval(episode.site, checkin.level),
    )
    checkin.grouped_alert = alert
    checkin.save(update_fields=["grouped_alert"])
    record_change(
        episode=episode,
        obj=alert,
        action=AuditAction.CREATE,
        kind="alert_raised",
        summary=f"{alert.severity} alert",
        actor=actor,
        detail=f"alert {alert.severity}",
        request=request,
        data={"level": alert.severity, "checkin": str(checkin.pk)},
    )
    notify.queue_alert_messages(
        alert=alert, people=notify.nurses(episode), kind="alert", step=alert.severity
    )
    return alert


def _join_alert(alert: Alert, checkin: Checkin, request: HttpRequest | None, actor: User) -> Alert:
    now = checkin.submitted_at
    taker = alert.acknowledged_by if alert.acknowledged_at else None
    checkin.grouped_alert = alert
    checkin.save(update_fields=["grouped_alert"])
    raised = level_rank(checkin.level) > level_rank(alert.severity)
    changes: dict[str, Any] = {"last_checkin_at": now}
    if raised:
        changes.update(
            severity=checkin.level,
            acknowledged_at=None,
            acknowledged_by=None,
            next_escalation_at=now + config.escalation_interval(alert.site, checkin.level),
        )
    Alert.objects.filter(pk=alert.pk).update(**changes)
    alert.refresh_from_db()
    record_change(
        episode=alert.episode,
        obj=alert,
        action=AuditAction.UPDATE,
        kind="alert_raised_level" if raised else "alert_joined",
        summary=f"{alert.severity} alert",
        actor=actor,
        detail=f"alert {'raised to ' if raised else 'joined '}{alert.severity}",
        request=request,
        data={"level": alert.severity, "checkin": str(checkin.pk)},
    )
    if raised:
        notify.queue_alert_messages(
            alert=alert, people=notify.nurses(alert.episode), kind="alert", step=alert.severity
        )
    elif taker is not None:
        # Someone already took the alert and escalation has stopped: the new red
        # flag must still reach a person, so the one handling it hears of it.
        notify.queue_alert_messages(
            alert=alert, people=[taker], kind="alert", step=f"joined-{checkin.pk}"
        )
    return alert


@transaction.atomic
def delivery_failure_raise(*, notification_id: Any) -> Alert | None:
    """A message about an alert could not be sent: that becomes an alert of its own.

    One per failed message (its retries do not add more). A failed message of
    a delivery-failed alert raises nothing further, so failures cannot chain.
    """
    row = (
        Notification.objects.select_related("alert__site", "alert__episode")
        .filter(pk=notification_id)
        .first()
    )
    if row is None or row.alert is None or row.alert.kind != AlertKind.CHECKIN:
        return None
    if Alert.objects.filter(failed_notification=row).exists():
        return None
    source = row.alert
    now = clock.now()
    alert = Alert.objects.create(
        episode=source.episode,
        site=source.site,
        kind=AlertKind.DELIVERY_FAILED,
        failed_notification=row,
        severity=source.severity,
        created_at=now,
        next_escalation_at=now + config.escalation_interval(source.site, source.severity),
    )
    record_change(
        episode=source.episode,
        obj=alert,
        action=AuditAction.CREATE,
        kind="alert_delivery_failed",
        summary=f"{row.channel} not delivered",
        actor=None,
        detail=f"delivery failed {row.channel}",
        request=None,
        data={"channel": row.channel, "alert": str(source.pk)},
    )
    notify.queue_alert_messages(
        alert=alert, people=notify.nurses(source.episode), kind="alert", step="failed"
    )
    return alert


def _clean_note(note: str, *, required: bool) -> str:
    note = note.strip()
    if required and not note:
        raise DomainError("note", "write what was done")
    if len(note) > MAX_NOTE:
        raise DomainError("note", f"keep the note under {MAX_NOTE} characters")
    return note


@transaction.atomic
def alert_acknowledge(
    *, alert: Alert, actor: User, note: str = "", request: HttpRequest | None = None
) -> Alert:
    """A person takes the alert: escalation stops. Acknowledging twice is refused."""
    note = _clean_note(note, required=False)
    now = clock.now()
    taken = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=actor, acknowledge_note=note, next_escalation_at=None
    )
    if not taken:
        raise DomainError("alert", "this alert was already acknowledged", status=409)
    alert.refresh_from_db()
    record_change(
        episode=alert.episode,
        obj=alert,
        action=AuditAction.UPDATE,
        kind="alert_acknowledged",
        summary=f"{alert.get_severity_display()} alert acknowledged",
        actor=actor,
        detail="alert acknowledged",
        request=request,
    )
    return alert


@transaction.atomic
def alert_resolve(
    *, alert: Alert, actor: User, note: str, request: HttpRequest | None = None
) -> Alert:
    """Close the alert with what was done. Resolving also acknowledges it if nobody had."""
    note = _clean_note(note, required=True)
    now = clock.now()
    done = Alert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor, resolution_note=note, next_escalation_at=None
    )
    if not done:
        raise DomainError("alert", "this alert was already resolved", status=409)
    Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=actor
    )
    alert.refresh_from_db()
    record_change(
        episode=alert.episode,
        obj=alert,
        action=AuditAction.UPDATE,
        kind="alert_resolved",
        summary=f"{alert.get_severity_display()} alert resolved",
        actor=actor,
        detail="alert resolved",
        request=request,
    )
    return alert
