"""Writes of PROMs: loading instruments, scheduling timepoints, storing responses."""

import logging
import time
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from endospine.accounts.models import User
from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.core import clock
from endospine.core.errors import DomainError
from endospine.journey.models import Episode
from endospine.proms import instruments, schedule
from endospine.proms.models import Instrument, Response, Timepoint
from endospine.proms.scoring import INSTRUMENTS, Score, ScoringError, score

logger = logging.getLogger(__name__)
# Every timepoint asks all three; a timepoint is done when each has an answer.
REQUIRED_INSTRUMENTS: tuple[str, ...] = ("nrs_leg", "nrs_back", "odi")
OPEN_STATUSES = (schedule.DUE, schedule.OVERDUE)


def site_today(episode: Episode, at: datetime | None = None) -> date:
    """Today (or `at`) in the episode's site time zone: due dates are the patient's dates."""
    try:
        zone = ZoneInfo(episode.site.time_zone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return (at or clock.now()).astimezone(zone).date()


def instruments_dir() -> Path:
    return Path(settings.CONTENT_DIR) / "instruments"


@transaction.atomic
def instruments_load(
    *, directory: Path | None = None, wording_file: str | None = None
) -> list[Instrument]:
    """Validate every instrument file and store it; all or nothing.

    The licensed ODI wording comes from `wording_file` (default: the
    ODI_WORDING_FILE setting); without one, the ODI ships structure only.
    """
    found = instruments.read_all(directory or instruments_dir())
    wording_path = wording_file if wording_file is not None else settings.ODI_WORDING_FILE
    wording = instruments.read_odi_wording(Path(wording_path)) if wording_path else None
    loaded = []
    for questionnaire in found:
        if questionnaire["id"] == "odi" and wording is not None:
            questionnaire = instruments.apply_odi_wording(questionnaire, wording)
        questionnaire = instruments.labelled(questionnaire)
        row, _ = Instrument.objects.update_or_create(
            code=questionnaire["id"],
            defaults={
                "version": questionnaire["version"],
                "title": questionnaire["title"],
                "questionnaire": questionnaire,
                "licensed_wording": questionnaire["id"] == "odi" and wording is not None,
                "loaded_at": clock.now(),
            },
        )
        loaded.append(row)
    forget_questionnaires()
    return loaded


def _window_fields(window: schedule.Window) -> dict[str, Any]:
    return {"opens_on": window.opens_on, "due_on": window.due_on, "closes_on": window.closes_on}


@transaction.atomic
def open_baseline(episode: Episode) -> None:
    """On entering prepare: the before-surgery questionnaires open once surgery is planned."""
    schedule_baseline(episode=episode)


def schedule_baseline(*, episode: Episode) -> Timepoint:
    """Ask for the before-surgery PROMs (call when an episode enters prepare). Idempotent."""
    window = schedule.baseline_window(site_today(episode), episode.surgery_date)
    timepoint, created = Timepoint.objects.get_or_create(
        episode=episode,
        code=schedule.BASELINE,
        defaults={"label": schedule.LABELS[schedule.BASELINE], **_window_fields(window)},
    )
    if not created and timepoint.completed_at is None and episode.surgery_date is not None:
        # The surgery date may have been set since: the baseline closes on it.
        Timepoint.objects.filter(pk=timepoint.pk).update(closes_on=episode.surgery_date)
        timepoint.closes_on = episode.surgery_date
    return timepoint


@transaction.atomic
def schedule_followup(*, episode: Episode, surgery_date: date) -> list[Timepoint]:
    """Create (or move) the follow-up timepoints after surgery; called at discharge.

    Idempotent: calling again with another surgery date moves the windows of
    timepoints not yet answered. The follow-up days come from the site's
    settings (Site.settings["prom_timepoints"]) or the defaults (also when
    the setting is invalid: it is logged; `endospine proms check` reports it).
    """
    try:
        rules = schedule.followup_rules(episode.site.settings)
    except schedule.ScheduleError as exc:
        # A site's bad PROM setting must never block a discharge: use the defaults, say so.
        logger.warning("site %s: %s; using the default PROM timepoints", episode.site_id, exc)
        rules = schedule.DEFAULT_FOLLOWUP
    baseline = Timepoint.objects.filter(episode=episode, code=schedule.BASELINE).first()
    if baseline is not None and baseline.completed_at is None:
        baseline.closes_on = surgery_date
        baseline.save(update_fields=["closes_on"])
    timepoints = []
    for rule in rules:
        window = schedule.followup_window(rule, surgery_date)
        timepoint, created = Timepoint.objects.get_or_create(
            episode=episode,
            code=rule.code,
            defaults={
                "label": rule.label,
                "days_after_surgery": rule.days,
                **_window_fields(window),
            },
        )
        if not created and timepoint.completed_at is None:
            for name, value in _window_fields(window).items():
                setattr(timepoint, name, value)
            timepoint.save(update_fields=list(_window_fields(window)))
        timepoints.append(timepoint)
    return timepoints


def timepoint_status(timepoint: Timepoint, today: date) -> str:
    window = schedule.Window(timepoint.opens_on, timepoint.due_on, timepoint.closes_on)
    return schedule.status(window, today, done=timepoint.completed_at is not None)


def _resource(
    response_id: str,
    episode: Episode,
    questionnaire: Mapping[str, Any],
    answers: Mapping[str, Any],
    result: Score,
    author: User | None,
) -> dict[str, Any]:
    """The FHIR QuestionnaireResponse (R4) with our score as an extension."""
    items = [
        {"linkId": item["linkId"], "answer": [{"valueInteger": answers[item["linkId"]]}]}
        for item in questionnaire["item"]
        if answers.get(item["linkId"]) is not None
    ]
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{questionnaire['url']}|{questionnaire['version']}",
        "status": "completed",
        "subject": {"reference": f"Patient/{episode.patient_id}"},
        "authored": clock.now().isoformat(),
        "item": items,
        "extension": [
            {
                "url": "https://endospine.invalid/fhir/StructureDefinition/score",
                "valueDecimal": result.score,
            },
            {
                "url": "https://endospine.invalid/fhir/StructureDefinition/band",
                "valueCode": result.band,
            },
        ],
    }
    if author is not None:
        kind = "Patient" if author.is_patient else "Practitioner"
        ref = episode.patient_id if author.is_patient else author.pk
        resource["author"] = {"reference": f"{kind}/{ref}"}
    return resource


def questionnaire_for(code: str) -> dict[str, Any]:
    """The loaded Questionnaire, or the shipped file when `proms load` has not run."""
    row = Instrument.objects.filter(code=code).first()
    if row is not None:
        return instruments.labelled(dict(row.questionnaire))
    return instruments.labelled(instruments.read(instruments_dir() / f"{code}.json"))


# code -> (monotonic expiry, Questionnaire), for submissions only: the loaded
# Questionnaire changes only with `proms load`, and remembering it briefly
# saves a round trip per submission. A reload reaches every process within this.
QUESTIONNAIRE_CACHE_SECONDS = 60.0
_questionnaires: dict[str, tuple[float, dict[str, Any]]] = {}


def questionnaire_for_submission(code: str) -> dict[str, Any]:
    hit = _questionnaires.get(code)
    if hit is None or hit[0] <= time.monotonic():
        hit = (time.monotonic() + QUESTIONNAIRE_CACHE_SECONDS, questionnaire_for(code))
        _questionnaires[code] = hit
    return dict(hit[1])


def forget_questionnaires() -> None:
    """Drop this process's memory of Questionnaires (`proms load` calls it)."""
    _questionnaires.clear()


def _pick_timepoint(episode: Episode, code: str | None) -> Timepoint | None:
    """The named timepoint, or the earliest open one, or None (an unscheduled answer)."""
    today = site_today(episode)
    # Which required instruments each timepoint already has comes with the
    # locked rows (EXISTS, allowed beside FOR UPDATE): no second read to decide
    # whether this submission completes the timepoint.
    answered = {
        f"has_{code}": Exists(Response.objects.filter(timepoint=OuterRef("pk"), instrument=code))
        for code in REQUIRED_INSTRUMENTS
    }
    rows = list(Timepoint.objects.select_for_update().filter(episode=episode).annotate(**answered))
    if code:
        found = next((t for t in rows if t.code == code), None)
        if found is None:
            raise DomainError("timepoint", f"this episode has no timepoint '{code}'")
        if timepoint_status(found, today) in (schedule.UPCOMING, schedule.MISSED):
            raise DomainError("timepoint", f"'{code}' is not open for answers")
        return found
    open_now = [t for t in rows if timepoint_status(t, today) in OPEN_STATUSES]
    return min(open_now, key=lambda t: t.due_on) if open_now else None


def _score_or_refuse(instrument: str, answers: Mapping[str, Any], prefix: str) -> Score:
    if instrument not in INSTRUMENTS:
        raise DomainError(
            f"{prefix}instrument", f"unknown instrument; expected one of: {', '.join(INSTRUMENTS)}"
        )
    try:
        result = score(instrument, answers)
    except ScoringError as exc:
        raise DomainError(prefix + exc.field, exc.message) from exc
    if result.score is None:
        # An unscored answer would leave a gap in the chart: ask for enough now.
        need = "at least 8 of the 10 sections" if instrument == "odi" else "the pain score"
        raise DomainError(f"{prefix}answers", f"answer {need}")
    return result


def _store(
    *,
    episode: Episode,
    timepoint: Timepoint | None,
    instrument: str,
    answers: Mapping[str, Any],
    result: Score,
    actor: User | None,
) -> Response:
    questionnaire = questionnaire_for_submission(instrument)
    response = Response(
        episode=episode,
        timepoint=timepoint,
        instrument=instrument,
        instrument_version=questionnaire["version"],
        authored_at=clock.now(),
        author=actor,
        score=result.score,
        band=result.band or "",
        licensed_wording=instruments.is_licensed(questionnaire),
        answered=result.answered,
    )
    clean = {k: (None if v is None else int(v)) for k, v in answers.items()}
    response.answers = clean
    response.resource = _resource(str(response.id), episode, questionnaire, clean, result, actor)
    try:
        # No savepoint: the error leaves responses_submit, whose transaction
        # rolls back whole; a savepoint would cost two round trips per row.
        with transaction.atomic(savepoint=False):
            response.save(force_insert=True)
    except IntegrityError as exc:
        raise DomainError(
            "instrument", f"{instrument} is already answered for this timepoint", status=409
        ) from exc
    return response


def _complete_if_all_answered(
    timepoint: Timepoint | None, stored: list[Response], actor: User | None
) -> None:
    if timepoint is None or timepoint.completed_at is not None:
        return
    # Answered before (annotated by _pick_timepoint) plus what was just stored.
    done = {code for code in REQUIRED_INSTRUMENTS if getattr(timepoint, f"has_{code}", False)}
    done |= {response.instrument for response in stored}
    if set(REQUIRED_INSTRUMENTS) <= done:
        timepoint.completed_at = clock.now()
        timepoint.save(update_fields=["completed_at"])
        from endospine.journey.services import record_event

        record_event(
            episode=timepoint.episode,
            kind="proms_completed",
            summary=f"Questionnaires answered: {timepoint.label}",
            actor=actor,
            data={"timepoint": timepoint.code},
        )


@transaction.atomic
def responses_submit(
    *,
    episode: Episode,
    answers_by_instrument: Mapping[str, Mapping[str, Any]],
    actor: User | None,
    timepoint_code: str | None = None,
    request: HttpRequest | None = None,
    field_prefix: bool = False,
) -> list[Response]:
    """Score and store one or more instruments for a timepoint, all or nothing.

    Every instrument is scored before anything is written, so one bad answer
    stores nothing. `field_prefix` names errors "odi.answers.walking" (the
    form, which submits several instruments at once).
    """
    scored, problems = [], []
    for instrument, answers in answers_by_instrument.items():
        prefix = f"{instrument}." if field_prefix else ""
        try:
            scored.append((instrument, answers, _score_or_refuse(instrument, answers, prefix)))
        except DomainError as exc:
            problems.extend(exc.errors)  # report every instrument's problem at once
    if problems:
        raise DomainError.many(problems)
    timepoint = _pick_timepoint(episode, timepoint_code)
    stored = [
        _store(
            episode=episode,
            timepoint=timepoint,
            instrument=instrument,
            answers=answers,
            result=result,
            actor=actor,
        )
        for instrument, answers, result in scored
    ]
    _complete_if_all_answered(timepoint, stored, actor)
    for response in stored:
        record(
            request=request,
            action=AuditAction.CREATE,
            obj=response,
            patient_id=episode.patient_id,
            detail=f"prom {response.instrument}",
            actor=actor,
        )
    return stored


def response_submit(
    *,
    episode: Episode,
    instrument: str,
    answers: Mapping[str, Any],
    actor: User | None,
    timepoint_code: str | None = None,
    request: HttpRequest | None = None,
) -> Response:
    """Score and store one instrument (the API)."""
    return responses_submit(
        episode=episode,
        answers_by_instrument={instrument: answers},
        actor=actor,
        timepoint_code=timepoint_code,
        request=request,
    )[0]
