"""Build the outcome facts of operated episodes from their raw rows.

An episode is *operated* once it has an operative record. Each fact says
whether the episode answered the measure at the timepoint within the registry
window (see registry.windows), with the baseline and the follow-up value.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db import connection

from endospine.assess.models import Findings
from endospine.journey.models import Episode
from endospine.measure import content
from endospine.measure.models import AdverseEvent, FollowUpAnswer, OutcomeFact
from endospine.measure.registry import (
    ANSWER_MEASURES,
    EVENT_TIMEPOINT,
    FOLLOWUP_TIMEPOINTS,
    PROM_MEASURES,
    RegistryFileError,
    Window,
    windows,
)
from endospine.operate.models import Discharge, OperativeRecord
from endospine.proms.models import Response

log = logging.getLogger(__name__)
# Evidence that a patient was followed through the first 90 days: any answer from
# day 30 to day 180 after surgery (the 6-week or 3-month questionnaires).
CONTACT_FROM, CONTACT_TO = 30, 180


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def level_of(levels: list[str]) -> str:
    return levels[0] if len(levels) == 1 else "multilevel" if levels else "unknown"


def _windows(episode: Episode) -> dict[str, Window]:
    try:
        return windows(episode.site.settings)
    except RegistryFileError:
        log.warning("site %s: bad registry_windows setting, defaults used", episode.site_id)
        return windows(None)


def _nearest(items: list[tuple[date, Any]], window: Window, surgery: date) -> Any:
    target = surgery + timedelta(days=window.days)
    inside = [(abs((d - target).days), d, v) for d, v in items]
    inside = [x for x in inside if window.opens(surgery) <= x[1] <= window.closes(surgery)]
    return min(inside, key=lambda x: (x[0], x[1]))[2] if inside else None


Fact = dict[str, Any]
COLUMNS = (
    "episode_id", "site_id", "surgeon_id", "approach", "level", "diagnosis", "surgery_date",
    "age", "same_day", "baseline_odi", "measure", "timepoint", "closes_on", "responded",
    "baseline", "followup",
)  # fmt: skip


def _fact(**values: Any) -> Fact:
    return values


def insert(facts: list[Fact]) -> None:
    insert_rows(OutcomeFact, COLUMNS, facts)


def insert_rows(model: Any, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows with executemany: no model instances, so rebuilding thousands of
    episodes (or cells) stays quick. Values are prepared by the model's fields."""
    fields: list[Any] = [model._meta.get_field(c) for c in columns]
    prepared = [
        tuple(f.get_db_prep_save(row[c], connection) for f, c in zip(fields, columns, strict=True))
        for row in rows
    ]
    if not prepared:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    # Table and column names are constants of the callers; values go as parameters.
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
    return len(prepared)


class _Raw:
    """Every raw row the facts of a batch of episodes need, in a fixed number of queries."""

    def __init__(self, ids: list[UUID]) -> None:
        self.records = {r.episode_id: r for r in OperativeRecord.objects.filter(episode_id__in=ids)}
        self.same_day = dict(
            Discharge.objects.filter(episode_id__in=ids).values_list("episode_id", "same_day")
        )
        self.diagnosis: dict[UUID, str] = {}
        for f in Findings.objects.filter(episode_id__in=ids).order_by("recorded_at"):
            if f.levels:
                self.diagnosis[f.episode_id] = str(f.levels[0].get("pathology", "unspecified"))
        self.proms: dict[tuple[UUID, str], list[tuple[date, float, bool]]] = defaultdict(list)
        rows = Response.objects.filter(episode_id__in=ids, score__isnull=False).values_list(
            "episode_id", "instrument", "authored_at", "score", "timepoint__code"
        )
        for episode_id, instrument, at, score, code in rows:
            assert score is not None
            self.proms[(episode_id, instrument)].append((at.date(), score, code == "baseline"))
        self.answers: dict[UUID, list[FollowUpAnswer]] = defaultdict(list)
        for a in FollowUpAnswer.objects.filter(episode_id__in=ids):
            self.answers[a.episode_id].append(a)
        self.events: dict[UUID, list[AdverseEvent]] = defaultdict(list)
        for e in AdverseEvent.objects.filter(episode_id__in=ids):
            self.events[e.episode_id].append(e)


def _baseline(raw: _Raw, episode_id: UUID, measure: str, surgery: date) -> float | None:
    answers = [(d, s) for d, s, is_base in raw.proms[(episode_id, measure)] if d <= surgery]
    flagged = [(d, s) for d, s, is_base in raw.proms[(episode_id, measure)] if is_base]
    chosen = flagged or answers
    return max(chosen)[1] if chosen else None


def _episode_facts(episode: Episode, raw: _Raw) -> list[Fact]:
    record = raw.records[episode.pk]
    surgery = record.operation_date
    wins = _windows(episode)
    common = {
        "episode_id": episode.pk,
        "site_id": episode.site_id,
        "surgeon_id": episode.surgeon_id,
        "approach": record.approach,
        "level": level_of(list(record.levels)),
        "diagnosis": raw.diagnosis.get(episode.pk, "unspecified"),
        "surgery_date": surgery,
        "age": age_on(episode.patient.date_of_birth, surgery),
        "same_day": raw.same_day.get(episode.pk),
        "baseline_odi": _baseline(raw, episode.pk, "odi", surgery),
    }
    facts: list[Fact] = []
    for measure in PROM_MEASURES:
        base = _baseline(raw, episode.pk, measure, surgery)
        points = [(d, s) for d, s, is_base in raw.proms[(episode.pk, measure)] if not is_base]
        for tp in FOLLOWUP_TIMEPOINTS:
            value = _nearest(points, wins[tp], surgery)
            facts.append(
                _fact(
                    **common,
                    measure=measure,
                    timepoint=tp,
                    closes_on=wins[tp].closes(surgery),
                    responded=value is not None and base is not None,
                    baseline=base,
                    followup=value,
                )
            )
    answers = raw.answers[episode.pk]
    for measure in ANSWER_MEASURES:
        for tp in FOLLOWUP_TIMEPOINTS:
            found = [a for a in answers if a.timepoint == tp]
            answered: float | None = None
            if found and wins[tp].opens(surgery) <= found[0].authored_on <= wins[tp].closes(
                surgery
            ):
                answer = found[0]
                raw_value = (
                    answer.satisfaction if measure == "satisfaction" else answer.returned_to_work
                )
                answered = None if raw_value is None else float(raw_value)
            facts.append(
                _fact(
                    **common,
                    measure=measure,
                    timepoint=tp,
                    closes_on=wins[tp].closes(surgery),
                    responded=answered is not None,
                    baseline=None,
                    followup=answered,
                )
            )
    facts.extend(_event_facts(episode, raw, surgery, wins[EVENT_TIMEPOINT], common))
    return facts


def _event_facts(
    episode: Episode, raw: _Raw, surgery: date, window: Window, common: dict[str, Any]
) -> list[Fact]:
    types = content.event_types()
    end = window.closes(surgery)
    events = [e for e in raw.events[episode.pk] if surgery <= e.occurred_on <= end]
    reops = [e for e in events if types.get(e.code) and types[e.code].reoperation]
    contact_days = [d for m in PROM_MEASURES for d, _, _ in raw.proms[(episode.pk, m)]]
    contact_days += [a.authored_on for a in raw.answers[episode.pk]]
    followed = bool(events) or any(
        surgery + timedelta(days=CONTACT_FROM) <= d <= surgery + timedelta(days=CONTACT_TO)
        for d in contact_days
    )
    return [
        _fact(
            **common,
            measure=measure,
            timepoint=EVENT_TIMEPOINT,
            closes_on=end,
            responded=followed,
            baseline=None,
            followup=float(bool(found)),
        )
        for measure, found in (("adverse_events", events), ("reoperation", reops))
    ]


def build(episode_ids: Iterable[UUID]) -> list[Fact]:
    ids = list(episode_ids)
    raw = _Raw(ids)
    episodes = Episode.objects.filter(pk__in=list(raw.records)).select_related("patient", "site")
    return [fact for episode in episodes for fact in _episode_facts(episode, raw)]
