"""Pages of the outcomes registry: dashboard, my outcomes and verification, the
follow-up worklist, adverse events of an episode, and the public outcomes page."""

import contextlib
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from endospine.access import Action, current_user, episode_for, require
from endospine.accounts.models import Role
from endospine.audit.models import AuditAction
from endospine.audit.services import record_many
from endospine.core.errors import DomainError
from endospine.core.ratelimit import rate_limited
from endospine.measure import content, dashboard, forms, services, worklist
from endospine.measure.funnel_svg import render as render_funnel
from endospine.measure.models import AdverseEvent
from endospine.measure.public import public_outcomes
from endospine.measure.registry import CLAVIEN_DINDO, MEASURES
from endospine.measure.selectors import Query, anonymous_code, outcomes, verification_rows
from endospine.recover.selectors import alert_for

DIMENSIONS = ("surgeon", "approach", "level", "diagnosis")


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, Action.VIEW_AGGREGATES)
    query = forms.dashboard_query(request.GET)
    definition = content.definition(query.definition)
    assert definition is not None
    _default, definitions = content.definitions()
    tables = {
        dim: outcomes(
            user, Query(query.measure, query.timepoint, dim, definition=definition.code), definition
        )["groups"]
        for dim in DIMENSIONS
    }
    side_by_side = [
        (d, outcomes(user, Query(query.measure, query.timepoint, "program"), d)["groups"][0])
        for d in definitions.values()
    ]
    p0, points = dashboard.funnel(user, query, definition)
    if user.role == Role.SURGEON:
        points = [p if p.key == str(user.pk) else _anonymous(p) for p in points]
    svg = render_funnel(
        title=_("Funnel plot: case-mix adjusted success by surgeon"),
        description=_(
            "Each dot is a surgeon; dashed lines are the 95%% and 99.8%% limits "
            "around the program rate of %(rate)s%%."
        )
        % {"rate": round(p0 * 100, 1)},
        p0=p0,
        points=[(p.label, p.n, p.adjusted, p.outside998) for p in points],
    )
    context = {
        "query": query,
        "definition": definition,
        "measures": MEASURES,
        "tables": tables,
        "side_by_side": side_by_side,
        "trends": dashboard.trends(user, query, definition),
        "funnel_svg": svg,
        "funnel_points": points,
        "p0": p0,
        "case_mix": dashboard.CASE_MIX,
        "completeness": dashboard.completeness(user, query, definition),
        "responders": dashboard.responders(user, Query("odi", "12m"), definition),
    }
    return render(request, "measure/dashboard.html", context)


def _anonymous(point: dashboard.FunnelPoint) -> dashboard.FunnelPoint:
    code = anonymous_code(point.key)
    return dashboard.FunnelPoint(
        code,
        code,
        *[
            getattr(point, f)
            for f in ("n", "observed", "expected", "rate", "adjusted", "outside95", "outside998")
        ],
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, Action.VERIFY_OUTCOMES)
    definition = content.definition(None)
    assert definition is not None
    rows = []
    for measure, tp in (("odi", "12m"), ("nrs_leg", "12m"), ("adverse_events", "90d")):
        groups = outcomes(user, Query(measure, tp, "surgeon"), definition)["groups"]
        program = outcomes(user, Query(measure, tp, "program"), definition)["groups"][0]
        own = next((g for g in groups if g["key"] == str(user.pk)), None)
        rows.append({"measure": measure, "timepoint": tp, "own": own, "program": program})
    context = {"rows": rows, "quarters": verification_rows(user), "definition": definition}
    return render(request, "measure/mine.html", context)


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, Action.VERIFY_OUTCOMES)
    quarter = request.POST.get("quarter", "")
    row = next((r for r in verification_rows(user) if r["quarter"] == quarter), None)
    try:
        if row is None:
            raise DomainError("quarter", _("choose one of the quarters listed"))
        services.quarter_verify(
            surgeon=user,
            quarter=quarter,
            cases=row["cases"],
            adverse_events=row["adverse_events"],
            request=request,
        )
    except DomainError as exc:
        context = {"error": exc.errors[0][1], "quarters": verification_rows(user), "rows": []}
        return render(request, "measure/mine.html", context, status=exc.status)
    return redirect("measure:mine")


@login_required
def followup(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, Action.WORK_FOLLOWUP)
    rows = worklist.due_timepoints(user)
    record_many(
        request=request,
        action=AuditAction.READ,
        objs=[r.timepoint for r in rows],
        patient_ids=[r.timepoint.episode.patient_id for r in rows],
        detail="follow-up worklist",
    )
    return render(request, "measure/followup.html", {"rows": rows, "outcomes": worklist.OUTCOMES})


@login_required
@require_POST
def contact(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    user = current_user(request)
    episode = episode_for(user, episode_id, Action.WORK_FOLLOWUP)
    # An unknown outcome records nothing; the worklist shows the contact history.
    with contextlib.suppress(DomainError):
        services.contact_attempt_record(
            episode=episode,
            timepoint=request.POST.get("timepoint", ""),
            outcome=request.POST.get("outcome", ""),
            actor=user,
            request=request,
        )
    return redirect("measure:followup")


@login_required
def episode_events(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    user = current_user(request)
    episode = episode_for(user, episode_id, Action.RECORD_ADVERSE_EVENT)
    error = ""
    if request.method == "POST":
        try:
            services.adverse_event_record(
                episode=episode, actor=user, request=request, **forms.event_fields(request.POST)
            )
            return redirect("measure:episode_events", episode_id=episode.pk)
        except DomainError as exc:
            error = exc.errors[0][1]
    events = list(AdverseEvent.objects.filter(episode=episode))
    record_many(
        request=request,
        action=AuditAction.READ,
        objs=events,
        patient_ids=[episode.patient_id] * len(events),
        detail="adverse events",
    )
    context = {
        "episode": episode,
        "events": events,
        "types": content.event_types(),
        "grades": CLAVIEN_DINDO,
        "error": error,
    }
    return render(request, "measure/episode_events.html", context, status=422 if error else 200)


@login_required
@require_POST
def alert_event(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """Resolve a home check-in alert and register it as an adverse event, in one step."""
    user = current_user(request)
    alert = alert_for(user, alert_id)
    try:
        services.alert_resolve_as_adverse_event(
            alert=alert,
            actor=user,
            request=request,
            note=request.POST.get("note", ""),
            **forms.event_fields(request.POST),
        )
    except DomainError as exc:
        context = {"alert": alert, "error": exc.errors[0][1], "error_verb": "resolve"}
        return render(request, "recover/alert.html", context, status=exc.status)
    return redirect("recover:alert", alert_id=alert.pk)


@rate_limited("outcomes")
def public_page(request: HttpRequest) -> HttpResponse:
    """The public outcomes, no sign-in: verified quarters only, small counts hidden."""
    return render(request, "measure/public.html", {"data": public_outcomes()})
