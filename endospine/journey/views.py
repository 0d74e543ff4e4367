"""Patient home, staff worklist, episode page and the program overview."""

from typing import cast
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from endospine.access import Action, can, current_user, episode_for, require
from endospine.accounts.models import Role
from endospine.audit.models import AuditAction
from endospine.audit.services import record_many
from endospine.core.errors import DomainError
from endospine.journey import board, panels, registration, selectors, services
from endospine.journey.forms import RegisterPatientForm
from endospine.journey.models import Episode, Stage
from endospine.journey.progress import day_since_surgery, next_steps

WORKLIST_PAGE_SIZE = 25


ALL_STAGES = "all"


class WorklistFilterForm(forms.Form):
    stage = forms.ChoiceField(
        choices=[
            ("", _("Open episodes")),
            (ALL_STAGES, _("All, with completed and cancelled")),
            *Stage.choices,
        ],
        required=False,
        label=_("Stage"),
    )
    q = forms.CharField(required=False, max_length=100, label=_("Search name, MRN or problem"))
    mine = forms.BooleanField(required=False, label=_("Only my patients"))


class StageChangeForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, label="New stage")
    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Reason (required to complete or cancel)"),
    )
    override_reason = forms.CharField(
        required=False,
        max_length=500,
        label="Override reason (surgeons, when a step is blocked)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _stage_form(episode: Episode, data: QueryDict | None = None) -> StageChangeForm:
    """Offer only the moves the pathway allows from the episode's stage."""
    form = StageChangeForm(data)
    allowed = services.next_stages(episode)
    field = cast(forms.ChoiceField, form.fields["stage"])
    # No default: a stage is chosen on purpose, never submitted by accident.
    field.choices = [
        ("", _("Choose a stage")),
        *[(v, lbl) for v, lbl in Stage.choices if v in allowed],
    ]
    return form


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_WORKLIST)
    form = WorklistFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    stage = filters.get("stage", "")
    episodes = selectors.worklist(
        request.user,
        stage="" if stage == ALL_STAGES else stage,
        search=filters.get("q", ""),
        mine=filters.get("mine", False),
        include_closed=stage == ALL_STAGES,
        triage=True,
    )
    page = Paginator(episodes, WORKLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    record_many(
        request=request,
        action=AuditAction.READ,
        objs=rows,
        patient_ids=[e.patient_id for e in rows],
        detail="worklist",
    )
    template = (
        "journey/_worklist_rows.html"
        if request.headers.get("HX-Request")
        else "journey/worklist.html"
    )
    context = {"form": form, "page": page, "rows": rows, "columns": board.columns()}
    return render(request, template, context)


@login_required
def episode_detail(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(request.user, episode_id, Action.VIEW_EPISODE)
    user = current_user(request)
    if user.role == Role.PATIENT:
        return redirect("journey:patient_home")
    context = {
        "episode": episode,
        "events": selectors.timeline(episode),
        "panels": panels.for_episode(episode.stage, "staff"),
        "sections": panels.sections_for(episode),
        "stage_form": _stage_form(episode),
        "can_change_stage": can(user, Action.CHANGE_STAGE, episode)
        and bool(services.next_stages(episode)),
        "stages": Stage,
        "can_help_sign_in": can(user, Action.HELP_PATIENT_SIGN_IN, episode),
        "sign_in_link": registration.last_link(episode.patient),
    }
    return render(request, "journey/episode.html", context)


@login_required
@require_POST
def send_sign_in_link(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    """A locked-out patient gets a new one-time link, sent to them, never shown to staff."""
    episode = episode_for(request.user, episode_id, Action.HELP_PATIENT_SIGN_IN)
    try:
        registration.patient_link_send(
            patient=episode.patient, actor=current_user(request), request=request
        )
        messages.success(request, _("A new sign-in link is on its way to the patient."))
    except DomainError as exc:
        messages.error(request, exc.errors[0][1])
    return redirect("journey:episode", episode_id=episode.pk)


@login_required
@require_POST
def end_patient_sessions(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(request.user, episode_id, Action.HELP_PATIENT_SIGN_IN)
    registration.patient_sessions_end(
        patient=episode.patient, actor=current_user(request), request=request
    )
    messages.success(request, _("The patient is signed out everywhere."))
    return redirect("journey:episode", episode_id=episode.pk)


@login_required
@require_POST
def change_stage(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    """Move the episode; closing it (complete, cancelled) first asks for a confirmation."""
    episode = episode_for(request.user, episode_id, Action.CHANGE_STAGE)
    form = _stage_form(episode, request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        closing = data["stage"] in services.CLOSING_STAGES
        if closing and data["reason"].strip() and request.POST.get("confirm") != "yes":
            context = {"episode": episode, "form": form, "to": Stage(data["stage"])}
            return render(request, "journey/confirm_close.html", context)
        try:
            services.change_stage(
                episode=episode,
                to_stage=data["stage"],
                actor=current_user(request),
                reason=data["reason"],
                override_reason=data["override_reason"],
                request=request,
            )
            return redirect("journey:episode", episode_id=episode.pk)
        except DomainError as exc:
            error = "; ".join(message for _field, message in exc.errors)
    context = {
        "episode": episode,
        "events": selectors.timeline(episode),
        "stage_form": form,
        "stage_error": error,
        "can_change_stage": True,
        "panels": panels.for_episode(episode.stage, "staff"),
        "sections": panels.sections_for(episode),
    }
    return render(request, "journey/episode.html", context, status=422)


@login_required
def register_patient(request: HttpRequest) -> HttpResponse:
    """Staff register a patient and open their first episode."""
    user = current_user(request)
    require(user, Action.REGISTER_PATIENT)
    form = RegisterPatientForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            done = registration.patient_register(
                data=registration.NewPatient(**form.cleaned_data), actor=user, request=request
            )
        except DomainError as exc:
            for field, message in exc.errors:
                form.add_error(field if field in form.fields else None, message)
        else:
            context = {"episode": done.episode, "sign_in_link": done.link}
            return render(request, "journey/registered.html", context, status=201)
    status = 422 if form.errors else 200
    return render(request, "journey/register.html", {"form": form}, status=status)


@login_required
def patient_home(request: HttpRequest) -> HttpResponse:
    """Where I am and what comes next, for each of the patient's episodes."""
    if current_user(request).role != Role.PATIENT:
        raise Http404
    episodes = list(selectors.worklist(request.user))
    record_many(
        request=request,
        action=AuditAction.READ,
        objs=episodes,
        patient_ids=[e.patient_id for e in episodes],
        detail="patient home",
    )
    cards = [
        {
            "episode": e,
            "next_steps": next_steps(e),
            "panels": panels.for_episode(e.stage, "patient"),
            "due": panels.due_for(e),
            "day": day_since_surgery(e),
        }
        for e in episodes
    ]
    return render(request, "journey/patient_home.html", {"cards": cards, "stages": Stage})


@login_required
def program(request: HttpRequest) -> HttpResponse:
    """Counts by stage and site, with no patient named: what program leads may see."""
    require(request.user, Action.VIEW_AGGREGATES)
    return render(
        request, "journey/program.html", {"rows": selectors.stage_counts(current_user(request))}
    )
