"""Pages of the assess step: patient intake and result, staff findings, assessments,
the surgeon's decision and the rule table. Thin: parse, authorize, one call, render."""

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from endospine.access import Action, can, current_user, episode_for, require
from endospine.accounts.models import User
from endospine.assess import selectors, services
from endospine.assess.conditions import FACTS
from endospine.assess.forms import DecisionForm, FindingFormSet, FindingsForm, IntakeForm
from endospine.assess.models import Assessment
from endospine.core.errors import DomainError
from endospine.journey.models import Episode


def _intake_episode(user: User, episode_id: UUID) -> Episode:
    """Patients answer for their own episode; care staff may enter answers for them."""
    return episode_for(user, episode_id, Action.SUBMIT_INTAKE)


def _add_errors(form: Any, error: DomainError) -> None:
    for field, message in error.errors:
        name = field.split(".")[0]
        form.add_error(name if name in form.fields else None, message)


@login_required
def patient_result(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    view = selectors.for_patient(episode)
    rules = services.current_ruleset()
    decision = view.decided.decision if view.decided else None
    context = {
        "episode": episode,
        "intake": view.intake,
        "decision": decision,
        "explanation": rules.recommendations.get(decision.recommendation) if decision else None,
        "approach": rules.approaches.get(decision.approach)
        if decision and decision.approach
        else None,
    }
    return render(request, "assess/patient_result.html", context)


@login_required
def intake(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = _intake_episode(current_user(request), episode_id)
    initial = selectors.intake_initial(episode)
    form = IntakeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_submit(
                episode=episode,
                actor=current_user(request),
                answers=form.cleaned_data,
                request=request,
            )
            return redirect("assess:patient", episode_id=episode.pk)
        except DomainError as exc:
            _add_errors(form, exc)
    status = 422 if request.method == "POST" else 200
    context = {"episode": episode, "form": form, "changing": bool(initial)}
    return render(request, "assess/intake.html", context, status=status)


def _labelled(assessments: list[Assessment]) -> list[Assessment]:
    """Each suggestion with the rule file's plain label, so staff never read a raw code."""
    rules = services.current_ruleset()
    for a in assessments:
        found = rules.recommendations.get(a.recommendation)
        a.recommendation_label = found.label if found else a.recommendation.replace("_", " ")  # type: ignore[attr-defined]
        approach = rules.approaches.get(a.approach) if a.approach else None
        a.approach_label = approach.label if approach else (a.approach or "").replace("_", " ")  # type: ignore[attr-defined]
    return assessments


def _staff_context(episode: Episode, user: User, **extra: Any) -> dict[str, Any]:
    return {
        "episode": episode,
        "intake": selectors.latest_intake(episode),
        "findings": selectors.latest_findings(episode),
        "assessments": _labelled(selectors.assessments(episode)),
        "can_record": can(user, Action.RECORD_ASSESSMENT, episode),
        "can_decide": can(user, Action.DECIDE_ASSESSMENT, episode),
        "decision_form": DecisionForm(),
        **extra,
    }


@login_required
def staff(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.RECORD_ASSESSMENT)
    return render(request, "assess/staff.html", _staff_context(episode, current_user(request)))


@login_required
def findings(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.RECORD_ASSESSMENT)
    form = FindingsForm(request.POST or None)
    formset = FindingFormSet(request.POST or None, prefix="level")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {
            **form.cleaned_data,
            "levels": [f for f in (sub.as_finding() for sub in formset) if f],
        }
        try:
            services.findings_record(
                episode=episode, actor=current_user(request), data=data, request=request
            )
            return redirect("assess:staff", episode_id=episode.pk)
        except DomainError as exc:
            _add_errors(form, exc)
    status = 422 if request.method == "POST" else 200
    context = {"episode": episode, "form": form, "formset": formset}
    return render(request, "assess/findings.html", context, status=status)


@login_required
@require_POST
def record_assessment(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.RECORD_ASSESSMENT)
    try:
        services.assessment_record(episode=episode, actor=current_user(request), request=request)
    except DomainError as exc:
        error = "; ".join(message for _, message in exc.errors)
        context = _staff_context(episode, current_user(request), record_error=error)
        return render(request, "assess/staff.html", context, status=exc.status)
    return redirect("assess:staff", episode_id=episode.pk)


@login_required
@require_POST
def decide(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    found = get_object_or_404(Assessment.objects.only("episode_id"), pk=assessment_id)
    episode_id = found.episode_id
    episode = episode_for(current_user(request), episode_id, Action.DECIDE_ASSESSMENT)
    assessment = get_object_or_404(Assessment, pk=assessment_id, episode=episode)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError.many((f, str(e[0])) for f, e in form.errors.items())
        services.decision_record(
            assessment=assessment, actor=current_user(request), request=request, **form.cleaned_data
        )
    except DomainError as exc:
        error = "; ".join(message for _, message in exc.errors)
        context = _staff_context(
            episode,
            current_user(request),
            decision_error=error,
            decision_form=form,
            error_assessment=assessment.pk,
        )
        return render(request, "assess/staff.html", context, status=exc.status)
    return redirect("assess:staff", episode_id=episode.pk)


@login_required
def rule_table(request: HttpRequest) -> HttpResponse:
    require(current_user(request), Action.VIEW_WORKLIST)
    context = {"ruleset": services.current_ruleset(), "facts": sorted(FACTS.items())}
    return render(request, "assess/rules.html", context)
