"""Writes on preparation checklists, and the gate before `operate`.

Who may call what is decided by endospine.access in the views; these
services enforce the rules of the checklist itself (who owns an item, which
states it may take, when the checklist is closed).
"""

import functools
import logging
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest

from endospine.accounts.models import User
from endospine.audit.models import AuditAction
from endospine.core import clock
from endospine.core.errors import DomainError
from endospine.journey.models import Episode, Stage
from endospine.journey.services import record_change, record_event
from endospine.prepare.models import Checklist, ChecklistItem, ItemState, Owner
from endospine.prepare.spec import TemplateSpec, load_dir, template_for

logger = logging.getLogger(__name__)

# Once the operation has happened the checklist is a record, not a to-do list.
OPEN_STAGES = frozenset({Stage.LEARN, Stage.ASSESS, Stage.PREPARE})
STAFF_STATES = (ItemState.VERIFIED, ItemState.NOT_APPLICABLE, ItemState.OPEN)


def checklist_dir() -> Path:
    content = Path(getattr(settings, "CONTENT_DIR", Path.cwd() / "content"))
    return content / "checklists"


@functools.lru_cache(maxsize=4)
def _load(directory: Path, stamp: tuple[tuple[str, int], ...]) -> dict[str, TemplateSpec]:
    return load_dir(directory)


def templates() -> dict[str, TemplateSpec]:
    """The validated templates; re-read when a file changes (raises TemplateError)."""
    directory = checklist_dir()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(directory.glob("*.yaml")))
    return _load(directory, stamp)


def _site_hours(episode: Episode, key: str, default: int) -> int:
    """The site's anaesthesia policy if it sets one, else the install-wide setting."""
    value = (episode.site.settings or {}).get(key, default)
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default
    )


def fasting_values(episode: Episode) -> dict[str, int]:
    return {
        "food_hours": _site_hours(
            episode, "fasting_food_hours", getattr(settings, "FASTING_FOOD_HOURS", 6)
        ),
        "clear_fluids_hours": _site_hours(
            episode,
            "fasting_clear_fluids_hours",
            getattr(settings, "FASTING_CLEAR_FLUIDS_HOURS", 2),
        ),
    }


# Site settings of issue 16 item 11 (Site.settings keys, with these defaults).
IMAGING_MAX_AGE_DAYS = 90  # most herniations shrink over months (Chiu, Clin Rehabil 2015)
CONSENT_LEAD_DAYS = 7  # time to decide before signing (GMC consent guidance 2020)


def site_values(episode: Episode) -> dict[str, int]:
    """The values a checklist text may name: fasting hours, imaging age, consent lead time."""
    return {
        **fasting_values(episode),
        "imaging_max_age_days": _site_hours(episode, "imaging_max_age_days", IMAGING_MAX_AGE_DAYS),
        "consent_lead_days": _site_hours(episode, "consent_lead_days", CONSENT_LEAD_DAYS),
    }


def _due_days(item_code: str, due_days: int, values: dict[str, int]) -> int:
    # Consent is due early enough to allow time to decide: the site's lead time wins.
    if item_code == "consent":
        return -values["consent_lead_days"]
    return due_days


def stale_imaging_reason(episode: Episode) -> str | None:
    """Why the scan on file is too old (or missing a date) for the planned surgery, if it is."""
    from endospine.assess.selectors import latest_findings

    findings = latest_findings(episode)
    if findings is None or findings.modality == "none":
        return "no scan is on file"
    if findings.imaging_date is None:
        return "the scan on file has no date"
    limit = site_values(episode)["imaging_max_age_days"]
    on = episode.surgery_date or clock.now().date()
    if (on - findings.imaging_date).days > limit:
        return f"the scan is more than {limit} days old on the day of surgery: repeat or review it"
    return None


def _create(episode: Episode, actor: User | None) -> Checklist:
    spec = template_for(templates(), episode.site.slug)
    values = site_values(episode)
    checklist = Checklist.objects.create(
        episode=episode,
        template_site=spec.site,
        template_version=spec.version,
        created_at=clock.now(),
        created_by=actor,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=checklist,
            position=i,
            code=item.code,
            title=item.title,
            patient_text=item.text_for(values),
            owner=item.owner,
            due_days=_due_days(item.code, item.due_days, values),
            required=item.required,
            records_stop_date=item.records_stop_date,
            auto=item.auto,
        )
        for i, item in enumerate(spec.items)
    )
    return checklist


def checklist_generate(
    *, episode: Episode, actor: User | None = None, request: HttpRequest | None = None
) -> Checklist:
    """The episode's checklist, created from its site's template the first time.

    Idempotent: a second call (or a second person at the same moment) gets the
    same checklist, never a duplicate.
    """
    existing = Checklist.objects.filter(episode=episode).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            checklist = _create(episode, actor)
    except IntegrityError:  # someone else created it between our read and write
        return Checklist.objects.get(episode=episode)
    record_change(
        episode=episode,
        obj=checklist,
        action=AuditAction.CREATE,
        kind="checklist_generated",
        summary=f"Preparation checklist created ({checklist.template_site} "
        f"v{checklist.template_version})",
        actor=actor,
        detail="checklist generated",
        request=request,
    )
    return checklist


def generate_on_prepare(episode: Episode) -> None:
    """Called when an episode enters prepare: make its checklist once.

    A broken template must not stop the stage change; the gate then blocks
    and staff generate the checklist on demand once the file is fixed.
    """
    if episode.stage != Stage.PREPARE or Checklist.objects.filter(episode=episode).exists():
        return
    try:
        checklist_generate(episode=episode)
    except ValueError:
        logger.exception("preparation checklist not generated for episode %s", episode.pk)


def baseline_proms_done(episode: Episode) -> bool:
    """True when the proms app reports a baseline; False while that app lacks the selector."""
    try:
        from endospine.proms.selectors import has_baseline
    except ImportError:
        return False
    return bool(has_baseline(episode))


_AUTO_CHECKS = {"baseline_proms": baseline_proms_done}


def checklist_refresh(*, checklist: Checklist, items: list[ChecklistItem] | None = None) -> bool:
    """Tick the items the app can see are done by itself (baseline questionnaires).

    Pass the items already loaded to save a query. True when something changed.
    """
    episode = checklist.episode
    if episode.stage not in OPEN_STAGES:
        return False
    loaded = items if items is not None else list(checklist.items.all())
    changed = False
    for item in loaded:
        check = _AUTO_CHECKS.get(item.auto) if item.state == ItemState.OPEN else None
        if check is not None and check(episode):
            changed = True
            item.state, item.done_at, item.done_by = ItemState.DONE, clock.now(), None
            item.note = "Completed automatically"
            item.save(update_fields=["state", "done_at", "done_by", "note"])
            record_event(
                episode=episode,
                kind="checklist_item",
                summary=f"Checklist: {item.title} completed automatically",
            )
    return changed


def _ensure_open(item: ChecklistItem) -> Episode:
    episode = item.checklist.episode
    if episode.stage not in OPEN_STAGES:
        raise DomainError("item", "the checklist is closed: the episode has moved past preparation")
    return episode


def _log(
    item: ChecklistItem,
    episode: Episode,
    actor: User,
    request: HttpRequest | None,
    verb: str,
    detail: str,
) -> None:
    record_change(
        episode=episode,
        obj=item,
        action=AuditAction.UPDATE,
        kind="checklist_item",
        summary=f"Checklist: {item.title} {verb}",
        actor=actor,
        detail=detail,
        request=request,
        data={"item": item.code, "state": item.state},
    )


_CLOSED_TO_TICK = "your care team has already closed this item"


def _tick_fields(item: ChecklistItem, actor: User, done: bool) -> dict[str, Any]:
    if not done:
        return {"state": ItemState.OPEN, "done_at": None, "done_by": None,
                "verified_at": None, "verified_by": None}  # fmt: skip
    if item.owner == Owner.PATIENT:
        return {"state": ItemState.DONE, "done_at": clock.now(), "done_by": actor}
    return {"state": ItemState.VERIFIED, "verified_at": clock.now(), "verified_by": actor}


@transaction.atomic
def item_tick(
    *, item: ChecklistItem, actor: User, done: bool = True, request: HttpRequest | None = None
) -> ChecklistItem:
    """Tick (or untick) an item: a patient's item becomes done, a staff item verified.

    One conditional UPDATE instead of SELECT FOR UPDATE then UPDATE: the
    WHERE clause re-checks, under the row lock, that the team has not closed
    the item since it was read, so a concurrent close still wins.
    """
    episode = _ensure_open(item)
    if item.state == ItemState.NOT_APPLICABLE or (
        item.state == ItemState.VERIFIED and item.owner == Owner.PATIENT
    ):
        raise DomainError("item", _CLOSED_TO_TICK)
    fields = _tick_fields(item, actor, done)
    closed = Q(state=ItemState.NOT_APPLICABLE) | Q(owner=Owner.PATIENT, state=ItemState.VERIFIED)
    if not ChecklistItem.objects.filter(pk=item.pk).exclude(closed).update(**fields):
        raise DomainError("item", _CLOSED_TO_TICK)
    for name, value in fields.items():
        setattr(item, name, value)
    _log(item, episode, actor, request, "marked " + item.get_state_display().lower(), "tick")
    return item


def _check_stop_date(item: ChecklistItem, episode: Episode, stop_date: date | None) -> None:
    if stop_date is None:
        return
    if not item.records_stop_date:
        raise DomainError("stop_date", "this item has no date to stop a medicine")
    if episode.surgery_date and stop_date > episode.surgery_date:
        raise DomainError("stop_date", "the date to stop must be on or before the surgery date")


@transaction.atomic
def item_verify(
    *,
    item: ChecklistItem,
    actor: User,
    state: str = ItemState.VERIFIED,
    stop_date: date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> ChecklistItem:
    """A staff member verifies an item, marks it not applicable (with a reason) or reopens it."""
    item = (
        ChecklistItem.objects.select_for_update()
        .select_related("checklist__episode")
        .get(pk=item.pk)
    )
    episode = _ensure_open(item)
    note = note.strip()
    if state not in STAFF_STATES:
        raise DomainError("state", "choose verified, not_applicable or open")
    if len(note) > 300:
        raise DomainError("note", "keep the note under 300 characters")
    if state == ItemState.NOT_APPLICABLE and not note:
        raise DomainError("note", "say why this item does not apply")
    _check_stop_date(item, episode, stop_date)
    if item.code == "imaging_on_file" and state == ItemState.VERIFIED:
        stale = stale_imaging_reason(episode)
        if stale is not None:
            raise DomainError("state", f"cannot verify the imaging: {stale}")
    item.state, item.note = state, note
    if stop_date is not None:
        item.stop_date = stop_date
    if state == ItemState.OPEN:
        item.done_at = item.done_by = item.verified_at = item.verified_by = None
    else:
        item.verified_at, item.verified_by = clock.now(), actor
    item.save()
    _log(item, episode, actor, request, "marked " + item.get_state_display().lower(), "verify")
    return item


NO_CHECKLIST = "the preparation checklist has not been generated"


def blocking_reasons(episode: Episode, items: list[ChecklistItem]) -> list[str]:
    """The required items still open, by title; auto items count once the app sees them done."""
    reasons = []
    for item in items:
        if not item.required or item.state != ItemState.OPEN:
            continue
        check = _AUTO_CHECKS.get(item.auto)
        if check is not None and check(episode):
            continue
        reasons.append(f"'{item.title}' is not done")
    return reasons


def operate_gate(episode: Episode) -> list[str]:
    """Why the episode may not move to `operate` yet (registered with journey.gates)."""
    items = list(ChecklistItem.objects.filter(checklist__episode=episode))
    if not items and not Checklist.objects.filter(episode=episode).exists():
        return [NO_CHECKLIST]
    return blocking_reasons(episode, items) + imaging_reasons(episode)


def imaging_reasons(episode: Episode) -> list[str]:
    stale = stale_imaging_reason(episode)
    return [] if stale is None else [f"Imaging: {stale}"]
