"""Patient home, staff worklist, episode page and the program overview."""

from typing import cast
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from endospine.accounts.models import Role
from endospine.accounts.policy import Action, can, current_user, episode_for, require
from endospine.audit.models import AuditAction
from endospine.audit.services import record, record_many
from endospine.core.errors import DomainError
from endospine.journey import panels, registration, selectors, services
from endospine.journey.forms import RegisterPatientForm
from endospine.journey.models import Episode, Stage
from endospine.journey.progress import next_steps

WORKLIST_PAGE_SIZE = 25


class WorklistFilterForm(forms.Form):
    stage = forms.ChoiceField(choices=[("", "All stages"), *Stage.choices], required=False)
    q = forms.CharField(required=False, max_length=100, label="Search name, MRN or problem")


class StageChangeForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, label="New stage")
    reason = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
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
    field.choices = [(value, label) for value, label in Stage.choices if value in allowed]
    return form


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_WORKLIST)
    form = WorklistFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    episodes = selectors.worklist(
        request.user,
        stage=filters.get("stage", ""),
        search=filters.get("q", ""),
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
    return render(request, template, {"form": form, "page": page, "rows": rows})


@login_required
def episode_detail(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(request.user, episode_id, Action.VIEW_EPISODE)
    record(
        request=request,
        action=AuditAction.READ,
        obj=episode,
        patient_id=episode.patient_id,
        detail="page",
    )
    user = current_user(request)
    if user.role == Role.PATIENT:
        return redirect("journey:patient_home")
    context = {
        "episode": episode,
        "events": selectors.timeline(episode),
        "panels": panels.for_episode(episode.stage, "staff"),
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
    episode = episode_for(request.user, episode_id, Action.CHANGE_STAGE)
    form = _stage_form(episode, request.POST)
    error = ""
    if form.is_valid():
        try:
            services.change_stage(
                episode=episode,
                to_stage=form.cleaned_data["stage"],
                actor=current_user(request),
                reason=form.cleaned_data["reason"],
                override_reason=form.cleaned_data["override_reason"],
                request=request,
            )
            return redirect("journey:episode", episode_id=episode.pk)
        except DomainError as exc:
            error = "; ".join(message for _, message in exc.errors)
    context = {
        "episode": episode,
        "events": selectors.timeline(episode),
        "stage_form": form,
        "stage_error": error,
        "can_change_stage": True,
        "panels": panels.for_episode(episode.stage, "staff"),
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
