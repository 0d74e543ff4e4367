"""Reads of PROMs for one episode (access is checked by the caller through the policy)."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from endospine.journey.models import Episode
from endospine.journey.panels import DueItem
from endospine.proms import progress, schedule
from endospine.proms.models import Response, Timepoint
from endospine.proms.services import (
    OPEN_STATUSES,
    REQUIRED_INSTRUMENTS,
    questionnaire_for,
    site_today,
    timepoint_status,
)

# (measure, setting for points, setting for percent): Ostelo 2008 defaults.
MIC_SETTINGS = {
    "nrs_leg": ("NRS_MIC_POINTS", "NRS_MIC_PERCENT", 2.0, 30.0),
    "nrs_back": ("NRS_MIC_POINTS", "NRS_MIC_PERCENT", 2.0, 30.0),
    "odi": ("ODI_MIC_POINTS", "ODI_MIC_PERCENT", 10.0, 30.0),
    "odi_unlicensed": ("ODI_MIC_POINTS", "ODI_MIC_PERCENT", 10.0, 30.0),
}
# Minimal detectable change (issue 16 item 15): settings, with these defaults.
MDC_SETTINGS = {
    "nrs_leg": ("NRS_MDC_POINTS", 2.0),
    "nrs_back": ("NRS_MDC_POINTS", 2.0),
    "odi": ("ODI_MDC_POINTS", 10.0),
    "odi_unlicensed": ("ODI_MDC_POINTS", 10.0),
}


def has_baseline(episode: Episode) -> bool:
    """True once every before-surgery questionnaire is answered (for prepare's checklist)."""
    return Timepoint.objects.filter(
        episode=episode, code=schedule.BASELINE, completed_at__isnull=False
    ).exists()


@dataclass(frozen=True)
class TimepointView:
    timepoint: Timepoint
    status: str
    answered: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def timepoints(episode: Episode) -> list[TimepointView]:
    """The episode's timepoints in order, each with its status today and what is answered."""
    today = site_today(episode)
    rows = list(Timepoint.objects.filter(episode=episode).prefetch_related("responses"))
    return [
        TimepointView(t, timepoint_status(t, today), tuple(r.instrument for r in t.responses.all()))
        for t in rows
    ]


def timepoint_by_code(episode: Episode, code: str) -> TimepointView | None:
    return next((v for v in timepoints(episode) if v.timepoint.code == code), None)


def responses(episode: Episode) -> list[Response]:
    return list(Response.objects.filter(episode=episode).select_related("timepoint"))


def form_questionnaires() -> list[dict[str, Any]]:
    """The questionnaires a timepoint asks, in the order the form shows them."""
    return [questionnaire_for(code) for code in REQUIRED_INSTRUMENTS]


def _mic_for(measure: str) -> tuple[float, float]:
    points_name, percent_name, points, percent = MIC_SETTINGS[measure]
    return (
        float(getattr(settings, points_name, points)),
        float(getattr(settings, percent_name, percent)),
    )


def _measure_of(response: Response) -> str:
    """ODI answers given without the licensed wording are a measure of their own."""
    if response.instrument == "odi" and not response.licensed_wording:
        return "odi_unlicensed"
    return response.instrument


def progress_for(episode: Episode) -> list[progress.MeasureProgress]:
    """Leg pain, back pain and ODI at each timepoint, with expected ranges and MIC."""
    rows = list(Timepoint.objects.filter(episode=episode).prefetch_related("responses"))
    built = []
    for measure in ("nrs_leg", "nrs_back", "odi", "odi_unlicensed"):
        points = []
        for tp in rows:
            value = next((r.score for r in tp.responses.all() if _measure_of(r) == measure), None)
            points.append(progress.Point(tp.code, tp.label, tp.days_after_surgery, value))
        if measure.startswith("odi") and all(p.value is None for p in points):
            continue  # show only the ODI kind this clinic actually uses
        mic_points, mic_percent = _mic_for(measure)
        mdc_name, mdc_default = MDC_SETTINGS[measure]
        built.append(
            progress.build(
                measure,
                points,
                mic_points=mic_points,
                mic_percent=mic_percent,
                mdc=float(getattr(settings, mdc_name, mdc_default)),
            )
        )
    return built


def due_items(episode: Episode) -> list[DueItem]:
    """Questionnaires open now, for the patient's home."""
    return [
        DueItem(
            title=gettext("Questionnaires: %(timepoint)s") % {"timepoint": view.timepoint.label},
            url=reverse("proms:episode", kwargs={"episode_id": episode.pk}),
            late=view.status == schedule.OVERDUE,
            detail=(
                gettext("Please answer by %(date)s.")
                % {"date": date_format(view.timepoint.closes_on)}
                if view.timepoint.closes_on
                else ""
            ),
        )
        for view in timepoints(episode)
        if view.is_open
    ]
