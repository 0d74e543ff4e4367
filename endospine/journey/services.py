"""Writes on an episode: stage changes and timeline events."""

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from endospine.access import Action, holds
from endospine.accounts.models import User
from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.core import clock
from endospine.core.errors import DomainError
from endospine.journey import gates
from endospine.journey.models import Episode, Stage, TimelineEvent

# The pathway only moves forward, with a step back to re-assess or to
# conservative care, and can be cancelled while active.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.LEARN: frozenset({Stage.ASSESS, Stage.CANCELLED}),
    Stage.ASSESS: frozenset({Stage.LEARN, Stage.PREPARE, Stage.COMPLETE, Stage.CANCELLED}),
    Stage.PREPARE: frozenset({Stage.ASSESS, Stage.OPERATE, Stage.CANCELLED}),
    Stage.OPERATE: frozenset({Stage.RECOVER, Stage.CANCELLED}),
    Stage.RECOVER: frozenset({Stage.COMPLETE}),
    Stage.COMPLETE: frozenset(),
    Stage.CANCELLED: frozenset(),
}
MAX_REASON = 500


def next_stages(episode: Episode) -> list[str]:
    """The stages this episode may move to from where it is, in journey order."""
    allowed = ALLOWED_TRANSITIONS[episode.stage]
    return [stage for stage in Stage.values if stage in allowed]


def record_event(
    *,
    episode: Episode,
    kind: str,
    summary: str,
    actor: User | None = None,
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        episode=episode, at=clock.now(), kind=kind, summary=summary, actor=actor, data=data or {}
    )


def record_change(
    *,
    episode: Episode,
    obj: models.Model,
    action: AuditAction,
    kind: str,
    summary: str,
    actor: User | None,
    detail: str,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    """A write to one of an episode's records: its timeline event and its audit row together."""
    record(request=request, action=action, obj=obj, patient_id=episode.patient_id,
           detail=detail, actor=actor)  # fmt: skip
    return record_event(episode=episode, kind=kind, summary=summary, actor=actor, data=data)


# Moves that end the pathway: they need a reason (and, on the page, a confirmation).
CLOSING_STAGES = (Stage.COMPLETE, Stage.CANCELLED)


def _validate_move(
    episode: Episode, to_stage: str, actor: User, reason: str, override_reason: str
) -> None:
    if to_stage not in Stage.values:
        raise DomainError("stage", f"'{to_stage}' is not a stage")
    if to_stage == episode.stage:
        raise DomainError("stage", f"the episode is already in '{to_stage}'")
    if to_stage not in ALLOWED_TRANSITIONS[episode.stage]:
        raise DomainError("stage", f"cannot move from '{episode.stage}' to '{to_stage}'")
    if to_stage in CLOSING_STAGES and not reason:
        raise DomainError("reason", "say why the episode is closed")
    if len(reason) > MAX_REASON or len(override_reason) > MAX_REASON:
        raise DomainError("reason", f"keep the reason under {MAX_REASON} characters")
    blocked = gates.blocking_reasons(episode, to_stage)
    if blocked and not override_reason.strip():
        raise DomainError("stage", "blocked: " + "; ".join(blocked))
    if blocked and not holds(actor, Action.OVERRIDE_GATE):
        raise DomainError("override_reason", "only a surgeon may override", status=403)


@transaction.atomic
def change_stage(
    *,
    episode: Episode,
    to_stage: str,
    actor: User,
    reason: str = "",
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> Episode:
    """Move an episode to another stage, if the pathway and its gates allow it.

    The row is locked so two people moving the same episode at once cannot
    both succeed from the same starting stage.
    """
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    _validate_move(episode, to_stage, actor, reason.strip(), override_reason.strip())
    overridden = gates.blocking_reasons(episode, to_stage) if override_reason.strip() else []
    from_stage = episode.stage
    episode.stage = to_stage
    episode.stage_changed_at = clock.now()
    if to_stage in (Stage.COMPLETE, Stage.CANCELLED):
        episode.closed_on = episode.stage_changed_at.date()
    episode.save()
    record_event(
        episode=episode,
        kind="stage_changed",
        summary=f"Moved from {Stage(from_stage).label} to {Stage(to_stage).label}",
        actor=actor,
        data={
            "from": from_stage,
            "to": to_stage,
            "reason": reason.strip(),
            "override_reason": override_reason.strip(),
            "overridden": overridden,
        },
    )
    gates.entered(episode, to_stage)
    record(
        request=request,
        action=AuditAction.UPDATE,
        obj=episode,
        patient_id=episode.patient_id,
        detail=f"stage {from_stage}->{to_stage}",
        actor=actor,
    )
    return episode
