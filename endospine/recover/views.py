"""Pages of the recover step: recovery overview, check-in, result, alerts, response times."""

import uuid
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from endospine.access import Action, can, current_user, episode_for, require
from endospine.accounts.models import Role
from endospine.audit.models import AuditAction
from endospine.audit.services import record_many
from endospine.core.errors import DomainError
from endospine.recover import forms, report, selectors, services, trends

# "Back" then "send" again re-posts the same answers under a new form key; within
# this window identical answers are taken as the same check-in, not a second one.
RESUBMIT_WINDOW = timedelta(minutes=30)


@login_required
def episode_recovery(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    context = {
        "episode": episode,
        "slots": selectors.schedule(episode),
        "checkins": selectors.checkins(episode)[:50],
        "is_patient": current_user(request).role == Role.PATIENT,
        "trends": None
        if current_user(request).role == Role.PATIENT
        else trends.episode_trends(episode),
        "can_checkin": can(current_user(request), Action.SUBMIT_CHECKIN, episode),
    }
    return render(request, "recover/episode.html", context)


def _form_context(episode: object, errors: dict[str, str], values: object, key: str) -> dict:
    checked = values.getlist("flags") if hasattr(values, "getlist") else []
    return {
        "episode": episode,
        "errors": errors,
        "values": values,
        "idempotency_key": key,
        "checked_flags": checked,
        "red_flags": forms.RED_FLAGS,
        "choices": forms.CHOICES,
        "pain_scale": forms.PAIN_SCALE,
        "pain_questions": forms.PAIN_QUESTIONS,
    }


@login_required
def checkin(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.SUBMIT_CHECKIN)
    if request.method != "POST":
        # A key per form view: pressing "send" twice stores one check-in.
        return render(
            request, "recover/checkin.html", _form_context(episode, {}, {}, uuid.uuid4().hex)
        )
    key = request.POST.get("idempotency_key", "")
    answers, errors = forms.parse(request.POST)
    if answers is not None:
        try:
            stored, _ = services.checkin_submit(
                episode=episode,
                answers=answers,
                actor=current_user(request),
                idempotency_key=key,
                request=request,
                same_answers_within=RESUBMIT_WINDOW,
            )
            return redirect("recover:result", checkin_id=stored.pk)
        except DomainError as exc:
            errors = dict(exc.errors)
    context = _form_context(episode, errors, request.POST, key)
    return render(request, "recover/checkin.html", context, status=422)


@login_required
def result(request: HttpRequest, checkin_id: UUID) -> HttpResponse:
    stored = selectors.checkin_for(current_user(request), checkin_id)
    context: dict[str, Any] = {
        "checkin": stored,
        "episode": stored.episode,
        "site": stored.episode.site,
    }
    if current_user(request).role != Role.PATIENT:
        # Staff read the answers, not the patient's thank-you or "call now" screen.
        context["report"] = report.checkin_report(stored)
        return render(request, "recover/checkin_staff.html", context)
    return render(request, f"recover/result_{stored.level}.html", context)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    require(current_user(request), Action.HANDLE_ALERT)
    rows: list[Any] = list(selectors.alert_worklist(current_user(request)))
    for row in rows:
        row.reason_labels = selectors.reason_labels(row)
    record_many(
        request=request,
        action=AuditAction.READ,
        objs=rows,
        patient_ids=[a.episode.patient_id for a in rows],
        detail="alert worklist",
    )
    context = {
        "alerts": rows,
        "missing_on_call": selectors.sites_missing_on_call(current_user(request)),
    }
    return render(request, "recover/alerts.html", context)


@login_required
def alert(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    found = selectors.alert_for(current_user(request), alert_id)
    return render(request, "recover/alert.html", _alert_context(found))


def _alert_context(found: Any, **extra: Any) -> dict[str, Any]:
    """The alert with a clinician's report of each of its check-ins, newest first."""
    reports = [report.checkin_report(c) for c in selectors.alert_checkins(found)]
    return {"alert": found, "reports": reports, "error": "", **extra}


@login_required
@require_POST
def alert_action(request: HttpRequest, alert_id: UUID, verb: str) -> HttpResponse:
    found = selectors.alert_for(current_user(request), alert_id)
    service = services.alert_acknowledge if verb == "acknowledge" else services.alert_resolve
    try:
        service(
            alert=found,
            actor=current_user(request),
            note=request.POST.get("note", ""),
            request=request,
        )
    except DomainError as exc:
        context = _alert_context(found, error=exc.errors[0][1], error_verb=verb)
        return render(request, "recover/alert.html", context, status=exc.status)
    return redirect("recover:alert", alert_id=found.pk)


@login_required
def response_times(request: HttpRequest) -> HttpResponse:
    require(current_user(request), Action.VIEW_AGGREGATES)
    return render(
        request,
        "recover/response_times.html",
        {"rows": selectors.response_times(current_user(request))},
    )


@login_required
def alert_badge(request: HttpRequest) -> HttpResponse:
    """The menu's alert count, polled by every staff page (counts only, no patient)."""
    require(current_user(request), Action.HANDLE_ALERT)
    badge = selectors.alert_badge(current_user(request))
    return render(request, "recover/_badge.html", {"alert_badge": badge})
