"""Reads of the operate step, and the discharge instructions built from them.

Access is decided by the caller (endospine.access); these functions
only fetch and assemble.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from endospine.core import clock
from endospine.journey.models import Episode
from endospine.operate import instructions, pdf, site_check
from endospine.operate import note_pdf as note_pdf_module
from endospine.operate.models import Discharge, OperativeRecord


def site_zone(episode: Episode) -> ZoneInfo:
    try:
        return ZoneInfo(episode.site.time_zone or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def to_site_time(episode: Episode, moment: datetime) -> datetime:
    """A moment on the site's wall clock: dates on a note must be the site's dates."""
    return timezone.localtime(moment, site_zone(episode))


def site_today(episode: Episode) -> date:
    return to_site_time(episode, clock.now()).date()


def operative_record(episode: Episode) -> OperativeRecord | None:
    return (
        OperativeRecord.objects.select_related("signed_by", "created_by")
        .prefetch_related("addenda__author")
        .filter(episode=episode)
        .first()
    )


def discharge(episode: Episode) -> Discharge | None:
    return Discharge.objects.select_related("recorded_by").filter(episode=episode).first()


def _checkin_days(episode: Episode) -> tuple[int, ...] | None:
    """The recovery schedule's own days, so the sheet and the reminders agree."""
    try:
        from endospine.recover.config import checkin_days
    except ImportError:  # the recover app is optional; fall back to the template's days
        return None
    return checkin_days(episode.site)


def discharge_instructions(
    episode: Episode, record: OperativeRecord, done: Discharge
) -> instructions.Instructions:
    _, template = instructions.load_template(settings.CONTENT_DIR, episode.site.slug)
    facts = instructions.Facts(
        site_name=episode.site.name,
        emergency_number=episode.site.emergency_number,
        care_team_phone=episode.site.care_team_phone,
        fever_c=float(getattr(settings, "FEVER_THRESHOLD_C", 38.0)),
        operation_date=record.operation_date,
        discharge_date=to_site_time(episode, done.discharged_at).date(),
        same_day=done.same_day,
        technique=record.technique,
        closure=record.closure,
        events=list(record.events),
        levels=list(record.levels),
        pain_at_discharge=done.pain_at_discharge,
        follow_up_on=done.follow_up_on,
        checkin_days=_checkin_days(episode),
    )
    return instructions.build(template, facts, template_name=done.instructions_template)


def discharge_pdf(
    episode: Episode, built: instructions.Instructions, *, compress: bool = True
) -> bytes:
    header = [
        f"For: {episode.patient.full_name}",
        f"{episode.site.name} · {episode.title}",
    ]
    return pdf.render(built, header=header, compress=compress)


def site_warnings(record: OperativeRecord) -> list[site_check.SiteWarning]:
    """Differences between the operated level/side and the latest assessed findings."""
    from endospine.assess.models import Findings

    findings = (
        Findings.objects.filter(episode_id=record.episode_id).order_by("-recorded_at").first()
    )
    assessed_levels = [f["level"] for f in findings.levels if "level" in f] if findings else []
    return site_check.check_site(
        levels=record.levels,
        side=record.side,
        assessed_levels=assessed_levels,
        assessed_side=findings.side if findings else "",
    )


def note_rows(record: OperativeRecord) -> list[tuple[str, str]]:
    """Every field of the record as (label, value in words), for the printable note."""
    from endospine.operate.validation import OPERATIVE_FIELDS

    rows = []
    for name in OPERATIVE_FIELDS:
        field = OperativeRecord._meta.get_field(name)
        value = getattr(record, name)
        if getattr(field, "choices", None):
            value = getattr(record, f"get_{name}_display")()
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        label = str(getattr(field, "verbose_name", name)).capitalize()
        rows.append((label, "" if value is None else str(value)))
    return rows


def note_pdf(record: OperativeRecord, warnings: list[str]) -> bytes:
    episode = record.episode
    signed = "DRAFT: not signed"
    if record.signed_by and record.signed_at:
        at = to_site_time(episode, record.signed_at)
        signed = f"Signed by {record.signed_by.display_name} on {at:%Y-%m-%d %H:%M}"
    patient = episode.patient
    header = [
        f"{patient.full_name} (MRN {patient.mrn}, born {patient.date_of_birth})",
        f"{episode.site.name} · {episode.title}",
        signed,
    ]
    addenda = [
        f"{to_site_time(episode, a.created_at):%Y-%m-%d %H:%M} {a.author.display_name}: {a.text}"
        for a in record.addenda.all()
    ]
    return note_pdf_module.render(
        title="Operative note", header=header, rows=note_rows(record), warnings=warnings,
        addenda=addenda, footer="Printed from EndoSpine.",
    )  # fmt: skip
