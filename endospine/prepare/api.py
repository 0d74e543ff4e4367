"""JSON endpoints of the prepare step, mounted under /api/v1/episodes."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from endospine.access import Action, current_user, episode_for, require
from endospine.accounts.models import User
from endospine.journey.models import Episode
from endospine.prepare import selectors, services
from endospine.prepare.models import ChecklistItem, Owner

router = Router(tags=["prepare"])


class ItemOut(Schema):
    id: UUID
    code: str
    title: str
    patient_text: str
    owner: Literal["patient", "staff"]
    required: bool
    state: Literal["open", "done", "verified", "not_applicable"]
    due_days: int = Field(description="Days from the surgery date; negative is before it.")
    due_date: date | None
    records_stop_date: bool
    stop_date: date | None = Field(description="The prescriber's date to stop a blood thinner.")
    note: str
    done_at: datetime | None
    done_by: str | None
    verified_at: datetime | None
    verified_by: str | None


class ChecklistOut(Schema):
    id: UUID
    episode: UUID
    template_site: str
    template_version: int
    created_at: datetime
    ready_for_operate: bool
    blocking: list[str] = Field(description="Why the episode may not move to operate yet.")
    items: list[ItemOut]


class TickIn(Schema):
    model_config = ConfigDict(extra="forbid")
    done: bool = Field(True, description="false puts the item back to open.")


class VerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    state: Literal["verified", "not_applicable", "open"] = "verified"
    stop_date: date | None = None
    note: str = Field("", max_length=300)


def _name(user: User | None) -> str | None:
    return user.display_name if user is not None else None


def _item_out(item: ChecklistItem, surgery_date: date | None) -> dict[str, object]:
    return {
        "id": item.pk,
        "code": item.code,
        "title": item.title,
        "patient_text": item.patient_text,
        "owner": item.owner,
        "required": item.required,
        "state": item.state,
        "due_days": item.due_days,
        "due_date": item.due_on(surgery_date),
        "records_stop_date": item.records_stop_date,
        "stop_date": item.stop_date,
        "note": item.note,
        "done_at": item.done_at,
        "done_by": _name(item.done_by),
        "verified_at": item.verified_at,
        "verified_by": _name(item.verified_by),
    }


def _checklist_out(episode: Episode, view: selectors.ChecklistView | None) -> dict[str, object]:
    if view is None:
        raise Http404("no checklist")
    return {
        "id": view.checklist.pk,
        "episode": episode.pk,
        "template_site": view.checklist.template_site,
        "template_version": view.checklist.template_version,
        "created_at": view.checklist.created_at,
        "ready_for_operate": not view.blocking,
        "blocking": view.blocking,
        "items": [_item_out(item, episode.surgery_date) for item in view.items],
    }


@router.get(
    "/{episode_id}/checklist", response=ChecklistOut, summary="Read the preparation checklist"
)
def read_checklist(request: HttpRequest, episode_id: UUID) -> dict[str, object]:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    view = selectors.checklist_view(episode)
    if view is None:
        raise Http404("no checklist")
    if services.checklist_refresh(checklist=view.checklist, items=view.items):
        view = selectors.checklist_view(episode)
    return _checklist_out(episode, view)


@router.post(
    "/{episode_id}/checklist",
    response=ChecklistOut,
    summary="Generate the preparation checklist (idempotent)",
)
def generate_checklist(request: HttpRequest, episode_id: UUID) -> dict[str, object]:
    episode = episode_for(current_user(request), episode_id, Action.VERIFY_STAFF_ITEM)
    services.checklist_generate(episode=episode, actor=current_user(request), request=request)
    return _checklist_out(episode, selectors.checklist_view(episode))


@router.post(
    "/{episode_id}/checklist/items/{item_id}/tick",
    response=ItemOut,
    summary="Tick an item (patients: their own items; care team: any item)",
)
def tick_item(
    request: HttpRequest, episode_id: UUID, item_id: UUID, payload: TickIn
) -> dict[str, object]:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    item = selectors.item_for(episode, item_id)
    action = Action.TICK_PATIENT_ITEM if item.owner == Owner.PATIENT else Action.VERIFY_STAFF_ITEM
    require(current_user(request), action, episode)
    item = services.item_tick(
        item=item, actor=current_user(request), done=payload.done, request=request
    )
    return _item_out(item, episode.surgery_date)


@router.post(
    "/{episode_id}/checklist/items/{item_id}/verify",
    response=ItemOut,
    summary="Verify an item, mark it not applicable or reopen it (care team)",
)
def verify_item(
    request: HttpRequest, episode_id: UUID, item_id: UUID, payload: VerifyIn
) -> dict[str, object]:
    episode = episode_for(current_user(request), episode_id, Action.VERIFY_STAFF_ITEM)
    item = selectors.item_for(episode, item_id)
    item = services.item_verify(
        item=item,
        actor=current_user(request),
        state=payload.state,
        stop_date=payload.stop_date,
        note=payload.note,
        request=request,
    )
    return _item_out(item, episode.surgery_date)
