"""Pages: the episode's questionnaire timepoints, the questionnaire form, progress charts."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from endospine.access import Action, can, current_user, episode_for
from endospine.core.errors import DomainError
from endospine.journey.models import Stage
from endospine.proms import forms, progress, selectors, services

BASELINE_STAGES = (Stage.PREPARE, Stage.OPERATE)


@login_required
def episode(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    """Timepoints with their status; open ones link to the form."""
    ep = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    if ep.stage in BASELINE_STAGES:
        services.schedule_baseline(episode=ep)  # idempotent: a safety net if prepare did not
    context = {
        "episode": ep,
        "timepoints": selectors.timepoints(ep),
        "can_submit": can(current_user(request), Action.SUBMIT_PROM, ep),
    }
    return render(request, "proms/episode.html", context)


@login_required
def answer(request: HttpRequest, episode_id: UUID, code: str) -> HttpResponse:
    """The questionnaires of one timepoint on one page; all stored together or none."""
    ep = episode_for(current_user(request), episode_id, Action.SUBMIT_PROM)
    view = selectors.timepoint_by_code(ep, code)
    if view is None or not view.is_open:
        raise Http404("no open timepoint")
    questionnaires = [q for q in selectors.form_questionnaires() if q["id"] not in view.answered]
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.responses_submit(
                episode=ep,
                answers_by_instrument=forms.parse(questionnaires, request.POST),
                actor=current_user(request),
                timepoint_code=code,
                request=request,
                field_prefix=True,
            )
        except DomainError as exc:
            errors = forms.field_errors(exc.errors)
        else:
            messages.success(request, "Thank you: your answers are saved.")
            return redirect("proms:progress", episode_id=ep.pk)
    context = {
        "episode": ep,
        "timepoint": view.timepoint,
        "errors": errors,
        "sections": forms.sections(questionnaires, request.POST if errors else None, errors),
    }
    return render(request, "proms/answer.html", context, status=422 if errors else 200)


@login_required
def progress_page(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    """Leg pain, back pain and ODI over time against the expected range."""
    ep = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    charts = [
        # Safe: render_svg escapes every text it writes (tested).
        (m, mark_safe(progress.render_svg(m, element_id=f"chart-{m.measure.code}")))  # noqa: S308
        for m in selectors.progress_for(ep)
    ]
    context = {
        "episode": ep,
        "charts": charts,
        "sources": progress.SOURCES,
        "is_staff_view": not current_user(request).is_patient,
    }
    return render(request, "proms/progress.html", context)
