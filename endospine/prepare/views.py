"""Pages: the patient's checklist (phone-first) and the care team's view with the gate."""

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from endospine.access import Action, can, current_user, episode_for, require
from endospine.core.errors import DomainError
from endospine.journey import services as journey_services
from endospine.journey.models import Episode, Stage
from endospine.prepare import medicines, selectors, services
from endospine.prepare.models import ChecklistItem, ItemState, Owner


class VerifyForm(forms.Form):
    state = forms.ChoiceField(
        choices=[
            (ItemState.VERIFIED, "Verified"),
            (ItemState.NOT_APPLICABLE, "Not applicable"),
            (ItemState.OPEN, "Reopen"),
        ],
        initial=ItemState.VERIFIED,
    )
    stop_date = forms.DateField(
        required=False,
        label="Date to stop (as the prescriber instructed)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(required=False, max_length=300, label="Note")


class OperateForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500, label="Reason (optional)")
    override_reason = forms.CharField(
        required=False,
        max_length=500,
        label="Override reason (surgeon: why go ahead with items open)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _errors(exc: DomainError) -> str:
    return "; ".join(message for _, message in exc.errors)


def _render(
    request: HttpRequest, episode: Episode, status: int = 200, **extra: Any
) -> HttpResponse:
    user = current_user(request)
    if "view" not in extra:
        extra["view"] = selectors.checklist_view(episode)
    context = {"episode": episode, **extra}
    if user.is_patient:
        return render(request, "prepare/patient_checklist.html", context, status=status)
    context.setdefault("operate_form", OperateForm())
    context.update(
        medicines=medicines.load().drugs,
        overrides=selectors.overrides(episode),
        can_verify=can(user, Action.VERIFY_STAFF_ITEM, episode),
        can_move=episode.stage == Stage.PREPARE and can(user, Action.CHANGE_STAGE, episode),
        can_override=can(user, Action.OVERRIDE_GATE, episode),
    )
    return render(request, "prepare/staff_checklist.html", context, status=status)


@login_required
def checklist(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    found = selectors.checklist_view(episode)
    if found is not None and services.checklist_refresh(
        checklist=found.checklist, items=found.items
    ):
        found = selectors.checklist_view(episode)
    return _render(request, episode, view=found)


@login_required
@require_POST
def generate(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.VERIFY_STAFF_ITEM)
    services.checklist_generate(episode=episode, actor=current_user(request), request=request)
    return redirect("prepare:checklist", episode_id=episode.pk)


def _item_response(
    request: HttpRequest, episode: Episode, item: ChecklistItem, error: str = ""
) -> HttpResponse:
    """The item's card for htmx; otherwise back to the page (the no-JavaScript path)."""
    if request.headers.get("HX-Request"):
        item.due = item.due_on(episode.surgery_date)  # type: ignore[attr-defined]
        context = {
            "episode": episode,
            "item": item,
            "error": error,
            "view": selectors.checklist_view(episode),
        }
        # 200 even with an error: htmx swaps only successful responses, and the
        # card must show the message in place.
        return render(request, "prepare/_tick_response.html", context)
    if error:
        messages.error(request, error)
    return redirect("prepare:checklist", episode_id=episode.pk)


@login_required
@require_POST
def tick(request: HttpRequest, episode_id: UUID, item_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    item = selectors.item_for(episode, item_id)
    action = Action.TICK_PATIENT_ITEM if item.owner == Owner.PATIENT else Action.VERIFY_STAFF_ITEM
    require(current_user(request), action, episode)
    try:
        item = services.item_tick(
            item=item,
            actor=current_user(request),
            done=request.POST.get("done", "1") != "0",
            request=request,
        )
    except DomainError as exc:
        return _item_response(request, episode, item, _errors(exc))
    return _item_response(request, episode, item)


@login_required
@require_POST
def verify(request: HttpRequest, episode_id: UUID, item_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.VERIFY_STAFF_ITEM)
    item = selectors.item_for(episode, item_id)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        error = "; ".join(f"{f}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items())
        return _render(request, episode, 422, error=error, error_item=item.pk)
    try:
        services.item_verify(
            item=item, actor=current_user(request), request=request, **form.cleaned_data
        )
    except DomainError as exc:
        return _render(request, episode, 422, error=_errors(exc), error_item=item.pk)
    return redirect("prepare:checklist", episode_id=episode.pk)


@login_required
@require_POST
def move_to_operate(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.CHANGE_STAGE)
    form = OperateForm(request.POST)
    if not form.is_valid():
        return _render(request, episode, 422, operate_form=form, operate_error="check the reasons")
    try:
        journey_services.change_stage(
            episode=episode,
            to_stage=Stage.OPERATE,
            actor=current_user(request),
            request=request,
            **form.cleaned_data,
        )
    except DomainError as exc:
        return _render(request, episode, exc.status, operate_form=form, operate_error=_errors(exc))
    messages.success(request, "The episode moved to operate.")
    return redirect("journey:episode", episode_id=episode.pk)
