"""Demo questionnaires: baselines before surgery and improving follow-ups after it.

Answers are filed through the PROM services with the clock moved back to
the day each questionnaire would have been answered, so their dates, windows
and statuses look like real use.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from endospine.core import clock
from endospine.core.demo import DemoContext
from endospine.journey.models import Episode, Stage
from endospine.proms import services
from endospine.proms.models import Timepoint
from endospine.proms.scoring import ODI_SECTIONS

WITH_BASELINE = (Stage.PREPARE, Stage.OPERATE, Stage.RECOVER, Stage.COMPLETE)
WITH_FOLLOWUP = (Stage.RECOVER, Stage.COMPLETE)
# (leg, back, ODI section answers; sex life left out) at baseline and each follow-up.
COURSE: list[tuple[int, int, list[int]]] = [
    (8, 5, [3, 3, 3, 3, 2, 3, 2, 2, 3]),  # ODI 53.3
    (3, 3, [1, 1, 2, 1, 1, 1, 1, 1, 1]),  # 6 weeks: 22.2
    (1, 2, [1, 0, 1, 0, 1, 1, 0, 0, 1]),  # 3 months: 11.1
    (1, 1, [0, 0, 1, 0, 1, 0, 0, 0, 1]),  # 12 months: 6.7
    (0, 1, [0, 0, 1, 0, 0, 0, 0, 0, 1]),  # 24 months: 4.4
]


@contextmanager
def _on(day: date) -> Iterator[None]:
    """Run with the clock moved to `day` (same time of day), then put it back."""
    delta = timedelta(days=(day - clock.now().date()).days)
    clock.advance(delta)
    try:
        yield
    finally:
        clock.advance(-delta)


def _answers(step: int, wobble: int) -> dict[str, dict[str, Any]]:
    leg, back, odi = COURSE[min(step, len(COURSE) - 1)]
    sections = [s for s in ODI_SECTIONS if s != "sex_life"]
    odi_answers: dict[str, Any] = {
        s: min(5, v + (wobble if i == 0 else 0))
        for i, (s, v) in enumerate(zip(sections, odi, strict=True))
    }
    odi_answers["sex_life"] = None
    return {
        "nrs_leg": {"pain": min(10, leg + wobble)},
        "nrs_back": {"pain": back},
        "odi": odi_answers,
    }


def _baseline(episode: Episode, actor: Any, wobble: int) -> None:
    surgery = episode.surgery_date
    answer_on = (
        clock.now().date()
        if surgery is None
        else min(clock.now().date(), surgery - timedelta(days=3))
    )
    with _on(answer_on):
        timepoint = services.schedule_baseline(episode=episode)
        if timepoint.completed_at is not None:
            return
        # A baseline created later (e.g. by prepare) is reopened for its real date.
        Timepoint.objects.filter(pk=timepoint.pk).update(
            opens_on=min(timepoint.opens_on, answer_on)
        )
        services.responses_submit(
            episode=episode,
            answers_by_instrument=_answers(0, wobble),
            actor=actor,
            timepoint_code="baseline",
        )


def _followups(episode: Episode, actor: Any, wobble: int) -> None:
    if episode.surgery_date is None:
        return
    today = clock.now().date()
    timepoints = services.schedule_followup(episode=episode, surgery_date=episode.surgery_date)
    for step, timepoint in enumerate(timepoints, start=1):
        if timepoint.completed_at is not None or timepoint.opens_on > today:
            continue
        with _on(min(timepoint.due_on, today)):
            services.responses_submit(
                episode=episode,
                answers_by_instrument=_answers(step, wobble),
                actor=actor,
                timepoint_code=timepoint.code,
            )


def populate(ctx: DemoContext) -> None:
    services.instruments_load()
    for target, episodes in ctx.episodes.items():
        if target not in WITH_BASELINE:
            continue
        for index, episode in enumerate(episodes):
            patient_user = episode.patient.user
            if target == Stage.PREPARE and index % 2 == 1:
                services.schedule_baseline(episode=episode)  # left open: shows as "due"
                continue
            _baseline(episode, patient_user, wobble=index % 2)
            if target in WITH_FOLLOWUP:
                _followups(episode, patient_user, wobble=index % 2)
