"""Writes of the operate step: the operative record, its signature and addenda, the discharge.

Each function validates first (endospine.operate.validation), then writes in
one transaction, adds a timeline event and an audit row. A signed record is
never changed: corrections are addenda.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from endospine.access import Action, holds
from endospine.accounts.models import User
from endospine.audit.models import AuditAction
from endospine.audit.services import record as audit
from endospine.core import clock
from endospine.core.errors import DomainError
from endospine.journey.models import Episode, Stage
from endospine.journey.services import change_stage, record_change
from endospine.operate import instructions
from endospine.operate.models import Discharge, OperativeAddendum, OperativeRecord
from endospine.operate.selectors import site_today, to_site_time
from endospine.operate.validation import (
    MAX_TEXT,
    OPERATIVE_FIELDS,
    clean_discharge,
    clean_operative,
)

LOCKED = "This record is signed and locked. Add an addendum to correct or complete it."


def _require_surgeon(actor: User) -> None:
    if not holds(actor, Action.WRITE_OPERATIVE_RECORD):
        raise DomainError("", "only a surgeon may write or sign an operative record", status=403)


def _clean(episode: Episode, data: dict[str, Any]) -> dict[str, Any]:
    clean, errors = clean_operative(data, today=site_today(episode))
    if errors:
        raise DomainError.many(errors)
    return clean


def _follow_operation_date(
    episode: Episode, record: OperativeRecord, actor: User, request: HttpRequest | None
) -> None:
    """The episode's surgery date is the operative record's date (days after surgery,
    PROM timepoints and the worklist all count from it)."""
    if episode.surgery_date == record.operation_date:
        return
    before = episode.surgery_date
    Episode.objects.filter(pk=episode.pk).update(surgery_date=record.operation_date)
    episode.surgery_date = record.operation_date
    record_change(
        episode=episode,
        obj=episode,
        action=AuditAction.UPDATE,
        kind="surgery_date_set",
        summary=f"Surgery date set to {record.operation_date}",
        actor=actor,
        detail="surgery date from operative record",
        request=request,
        data={
            "from": before.isoformat() if before else None,
            "to": record.operation_date.isoformat(),
        },
    )


@transaction.atomic
def operative_record_create(
    *, episode: Episode, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> OperativeRecord:
    """File a draft record for an episode in `operate` (one record per episode)."""
    _require_surgeon(actor)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.stage != Stage.OPERATE:
        raise DomainError(
            "episode", "an operative record is filed once the episode is in 'operate'"
        )
    if OperativeRecord.objects.filter(episode=episode).exists():
        raise DomainError("episode", "this episode already has an operative record", status=409)
    clean = _clean(episode, data)
    now = clock.now()
    record = OperativeRecord.objects.create(
        episode=episode, created_by=actor, created_at=now, updated_at=now, **clean
    )
    _follow_operation_date(episode, record, actor, request)
    record_change(
        episode=episode,
        obj=record,
        action=AuditAction.CREATE,
        kind="operative_record_drafted",
        summary="Operative record drafted",
        actor=actor,
        detail="operative record",
        request=request,
    )
    return record


@transaction.atomic
def operative_record_update(
    *,
    record: OperativeRecord,
    data: dict[str, Any],
    actor: User,
    request: HttpRequest | None = None,
) -> OperativeRecord:
    """Replace the fields of a draft. A signed record is refused (409): use an addendum."""
    _require_surgeon(actor)
    record = OperativeRecord.objects.select_for_update().select_related("episode").get(pk=record.pk)
    if record.is_signed:
        raise DomainError("record", LOCKED, status=409)
    for name, value in _clean(record.episode, data).items():
        setattr(record, name, value)
    record.updated_at = clock.now()
    record.save()
    _follow_operation_date(record.episode, record, actor, request)
    audit(
        request=request,
        action=AuditAction.UPDATE,
        obj=record,
        patient_id=record.episode.patient_id,
        detail="operative record draft",
        actor=actor,
    )
    return record


@transaction.atomic
def operative_record_sign(
    *, record: OperativeRecord, actor: User, request: HttpRequest | None = None
) -> OperativeRecord:
    """Sign and lock the record. Only a surgeon signs; signing twice is refused."""
    _require_surgeon(actor)
    record = OperativeRecord.objects.select_for_update().select_related("episode").get(pk=record.pk)
    if record.is_signed:
        raise DomainError("record", "This record is already signed.", status=409)
    # Re-check the stored values: the rules may have tightened since the draft was saved.
    stored = {name: getattr(record, name) for name in OPERATIVE_FIELDS}
    _clean(record.episode, stored)
    record.signed_by = actor
    record.signed_at = clock.now()
    record.save()
    record_change(
        episode=record.episode,
        obj=record,
        action=AuditAction.UPDATE,
        kind="operative_record_signed",
        summary="Operative record signed",
        actor=actor,
        detail="operative record signed",
        request=request,
    )
    return record


@transaction.atomic
def operative_addendum_add(
    *, record: OperativeRecord, text: str, actor: User, request: HttpRequest | None = None
) -> OperativeAddendum:
    """Append a dated addendum to a signed record; the original stays as signed."""
    _require_surgeon(actor)
    record = OperativeRecord.objects.select_related("episode").get(pk=record.pk)
    if not record.is_signed:
        raise DomainError("record", "This record is still a draft: edit it instead.", status=409)
    text = (text or "").strip()
    if not text:
        raise DomainError("text", "Write the addendum.")
    if len(text) > MAX_TEXT:
        raise DomainError("text", f"Keep the addendum under {MAX_TEXT} characters.")
    addendum = OperativeAddendum.objects.create(
        record=record, text=text, author=actor, created_at=clock.now()
    )
    record_change(
        episode=record.episode,
        obj=addendum,
        action=AuditAction.CREATE,
        kind="operative_addendum",
        summary="Addendum added to the operative record",
        actor=actor,
        detail="operative addendum",
        request=request,
    )
    return addendum


def _signed_record(episode: Episode) -> OperativeRecord:
    record = OperativeRecord.objects.filter(episode=episode).first()
    if record is None or not record.is_signed:
        raise DomainError("episode", "sign the operative record before recording the discharge")
    return record


@transaction.atomic
def discharge_record(
    *, episode: Episode, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> Discharge:
    """Record the discharge, move the episode to `recover` and start the recovery schedule.

    All in one transaction: if the stage change or the recovery schedule fails,
    no discharge is stored.
    """
    if not holds(actor, Action.RECORD_DISCHARGE):
        raise DomainError("", "only a surgeon or a nurse may record a discharge", status=403)
    episode = Episode.objects.select_for_update().select_related("site").get(pk=episode.pk)
    if Discharge.objects.filter(episode=episode).exists():
        raise DomainError("episode", "this episode has already been discharged", status=409)
    if episode.stage != Stage.OPERATE:
        raise DomainError("episode", "only an episode in 'operate' can be discharged")
    record = _signed_record(episode)
    clean, errors = clean_discharge(data, now=clock.now(), operation_date=record.operation_date)
    if errors:
        raise DomainError.many(errors)
    name, template = instructions.load_template(settings.CONTENT_DIR, episode.site.slug)
    discharged_on = to_site_time(episode, clean["discharged_at"]).date()
    follow_up = clean["follow_up_on"] or instructions.default_clinic_date(template, discharged_on)
    discharge = Discharge.objects.create(
        episode=episode,
        discharged_at=clean["discharged_at"],
        same_day=clean["same_day"],
        first_walk_hours=clean["first_walk_hours"],
        pain_at_discharge=clean["pain_at_discharge"],
        destination=clean["destination"],
        follow_up_on=follow_up,
        instructions_template=name,
        instructions_version=int(template["version"]),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    episode = change_stage(
        episode=episode, to_stage=Stage.RECOVER, actor=actor, reason="Discharged", request=request
    )
    Episode.objects.filter(pk=episode.pk).update(discharged_on=discharged_on)
    episode.discharged_on = discharged_on
    from endospine.recover.services import start_recovery

    start_recovery(episode=episode, discharged_at=discharge.discharged_at, actor=actor)
    record_change(
        episode=episode,
        obj=discharge,
        action=AuditAction.CREATE,
        kind="discharged",
        summary="Discharged home with instructions"
        if clean["destination"].startswith("home")
        else "Discharged",
        actor=actor,
        detail="discharge",
        request=request,
    )
    return discharge
