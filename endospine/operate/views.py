"""Pages of the operate step: operative record form and note, signing, addenda,
the discharge form, and the patient's discharge instructions (page and PDF)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from endospine.access import Action, can, current_user, episode_for
from endospine.accounts.models import Role
from endospine.audit.models import AuditAction
from endospine.audit.services import record as audit
from endospine.core.errors import DomainError
from endospine.journey.models import Episode, Stage
from endospine.operate import forms, selectors, services
from endospine.operate.models import Discharge, OperativeRecord
from endospine.operate.services import LOCKED


def _visible_record(request: HttpRequest, episode: Episode) -> OperativeRecord | None:
    record = selectors.operative_record(episode)
    if record is not None and current_user(request).role == Role.PATIENT and not record.is_signed:
        return None  # a draft is the surgeon's work in progress
    return record


def _split(errors: list[tuple[str, str]], known: set[str]) -> tuple[dict[str, str], list[str]]:
    """Errors beside their field, and the rest (rule refusals) at the top of the form."""
    by_field = {f: m for f, m in errors if f in known}
    general = [m for f, m in errors if f not in known]
    return by_field, general


_RECORD_FIELDS = {s.name for _, specs in forms.OPERATIVE_GROUPS for s in specs}


def _record_form(request: HttpRequest, episode: Episode, record: OperativeRecord | None,
                 values: dict[str, Any], errors: list[tuple[str, str]], status: int = 200,
                 ) -> HttpResponse:  # fmt: skip
    by_field, general = _split(errors, _RECORD_FIELDS)
    context = {"episode": episode, "record": record, "groups": forms.bind_groups(values, by_field),
               "general_errors": general}  # fmt: skip
    return render(request, "operate/record_form.html", context, status=status)


@login_required
def note_pdf(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    """The operative note as a PDF, for the paper chart or another hospital."""
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    record = _visible_record(request, episode)
    if record is None or current_user(request).role == Role.PATIENT:
        raise Http404("no operative record")
    warnings = [
        render_to_string("operate/_site_warning.html", {"w": w}).strip()
        for w in selectors.site_warnings(record)
    ]
    body = selectors.note_pdf(record, warnings)
    audit(request=request, action=AuditAction.EXPORT, obj=record, patient_id=episode.patient_id,
          detail="operative note pdf")  # fmt: skip
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="operative-note.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def record_page(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    """The form for a surgeon while the record is a draft; the note for everyone else."""
    if request.method == "POST":
        return _save_record(request, episode_id)
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    record = _visible_record(request, episode)
    writer = can(current_user(request), Action.WRITE_OPERATIVE_RECORD, episode)
    if record is not None and (record.is_signed or not writer):
        return redirect("operate:note", episode_id=episode.pk)
    if not writer:
        raise Http404("no operative record")
    values = (
        forms.record_values(record) if record else {"surgeons": current_user(request).display_name}
    )
    return _record_form(request, episode, record, values, [])


def _save_record(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.WRITE_OPERATIVE_RECORD)
    record = selectors.operative_record(episode)
    values = forms.form_values(request.POST)
    if record is not None and record.is_signed:  # never edited in place: addenda only
        return _record_form(request, episode, record, values, [("record", LOCKED)], status=409)
    try:
        if record is None:
            services.operative_record_create(
                episode=episode, data=values, actor=current_user(request), request=request
            )
        else:
            services.operative_record_update(
                record=record, data=values, actor=current_user(request), request=request
            )
    except DomainError as error:
        return _record_form(request, episode, record, values, error.errors, status=error.status)
    messages.success(request, "Draft saved. Check the note, then sign it to lock it.")
    return redirect("operate:note", episode_id=episode.pk)


@login_required
def note_page(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    """The printable operative note, with its addenda."""
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    record = _visible_record(request, episode)
    if record is None:
        raise Http404("no operative record")
    writer = can(current_user(request), Action.WRITE_OPERATIVE_RECORD, episode)
    context = {"episode": episode, "record": record, "writer": writer,
               "site_warnings": selectors.site_warnings(record)}  # fmt: skip
    return render(request, "operate/note.html", context)


@login_required
@require_POST
def sign(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.WRITE_OPERATIVE_RECORD)
    record = selectors.operative_record(episode)
    if record is None:
        raise Http404("no operative record")
    if request.POST.get("confirm") != "yes":
        # Signing cannot be undone: the surgeon ticks that the note was read first.
        messages.error(request, _("Tick the box to confirm you have read the note, then sign."))
        return redirect("operate:note", episode_id=episode.pk)
    try:
        services.operative_record_sign(record=record, actor=current_user(request), request=request)
        messages.success(request, "Signed. The record is now locked; corrections go in addenda.")
    except DomainError as error:
        messages.error(request, "; ".join(m for _, m in error.errors))
    return redirect("operate:note", episode_id=episode.pk)


@login_required
@require_POST
def addendum(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.WRITE_OPERATIVE_RECORD)
    record = selectors.operative_record(episode)
    if record is None:
        raise Http404("no operative record")
    try:
        services.operative_addendum_add(record=record, text=request.POST.get("text", ""),
                                        actor=current_user(request), request=request)  # fmt: skip
        messages.success(request, "Addendum added.")
    except DomainError as error:
        messages.error(request, "; ".join(m for _, m in error.errors))
    return redirect("operate:note", episode_id=episode.pk)


def _discharge_values(request: HttpRequest, episode: Episode) -> dict[str, Any]:
    """Form values, reading the datetime-local input on the site's clock."""
    values = forms.form_values(request.POST)
    values.pop("events", None)
    raw = (values.get("discharged_at") or "").strip()
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return values  # the validator names the field and the format
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=selectors.site_zone(episode))
    values["discharged_at"] = moment
    return values


@login_required
def discharge_page(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    done = selectors.discharge(episode)
    if done is not None:
        return redirect("operate:instructions", episode_id=episode.pk)
    if not can(current_user(request), Action.RECORD_DISCHARGE, episode):
        raise Http404("not discharged")
    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        values = _discharge_values(request, episode)
        try:
            services.discharge_record(episode=episode, data=values, actor=current_user(request),
                                      request=request)  # fmt: skip
        except DomainError as error:
            errors, status = error.errors, error.status
        else:
            messages.success(request, "Discharge recorded. The episode is now in recovery.")
            return redirect("operate:instructions", episode_id=episode.pk)
    by_field, general = _split(errors, {s.name for s in forms.DISCHARGE_FIELDS})
    if isinstance(values.get("discharged_at"), datetime):
        values["discharged_at"] = values["discharged_at"].strftime("%Y-%m-%dT%H:%M")
    context = {"episode": episode, "fields": forms.bind(forms.DISCHARGE_FIELDS, values, by_field),
               "general_errors": general, "in_operate": episode.stage == Stage.OPERATE}  # fmt: skip
    return render(request, "operate/discharge_form.html", context, status=status)


def _instructions(request: HttpRequest, episode_id: UUID) -> tuple[Episode, Discharge, Any]:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    done = selectors.discharge(episode)
    record = selectors.operative_record(episode)
    if done is None or record is None:
        raise Http404("not discharged")
    return episode, done, selectors.discharge_instructions(episode, record, done)


@login_required
def instructions_page(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode, done, built = _instructions(request, episode_id)
    context = {"episode": episode, "discharge": done, "instructions": built,
               "is_patient": current_user(request).role == Role.PATIENT}  # fmt: skip
    return render(request, "operate/instructions.html", context)


@login_required
def instructions_pdf(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode, done, built = _instructions(request, episode_id)
    body = selectors.discharge_pdf(episode, built)
    audit(request=request, action=AuditAction.EXPORT, obj=done, patient_id=episode.patient_id,
          detail="page discharge pdf")  # fmt: skip
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="discharge-instructions.pdf"'
    response["Cache-Control"] = "no-store"
    return response
