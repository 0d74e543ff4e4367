"""Every figure the registry reports equals a recomputation from the raw rows.

The reports aggregate OutcomeFact in SQL; this test ignores that table and
recomputes each figure in plain Python from PROM responses, follow-up answers,
adverse events, operative records and findings, for the demo's generator data,
every measure x timepoint x grouping x definition.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from conftest import Cast
from endospine.assess.models import Findings
from endospine.measure import content
from endospine.measure.models import AdverseEvent, FollowUpAnswer
from endospine.measure.registry import (
    DEFAULT_WINDOWS,
    EVENT_MEASURES,
    FOLLOWUP_TIMEPOINTS,
    GROUP_BY,
    MEASURES,
    PROM_MEASURES,
    Rule,
)
from endospine.measure.selectors import Query, outcomes
from endospine.measure.stats import rounded, wilson
from endospine.operate.models import OperativeRecord
from endospine.proms.models import Response


def _groups(record: OperativeRecord, diagnosis: str) -> dict[str, Any]:
    episode = record.episode
    level = record.levels[0] if len(record.levels) == 1 else "multilevel"
    return {"program": "program", "site": str(episode.site_id),
            "surgeon": str(episode.surgeon_id), "approach": record.approach,
            "level": level, "diagnosis": diagnosis}  # fmt: skip


def _observation(measure: str, tp: str, record: OperativeRecord, raw: dict[str, Any]) -> Any:
    """(eligible, responded, baseline, follow-up) of one episode, from raw rows."""
    surgery, eid = record.operation_date, record.episode_id
    window = DEFAULT_WINDOWS[tp]
    opens, closes = window.opens(surgery), window.closes(surgery)
    eligible = closes < date.today()
    if measure in EVENT_MEASURES:
        events = [e for e in raw["events"][eid] if surgery <= e.occurred_on <= closes]
        if measure == "reoperation":
            events = [e for e in events if content.event_types()[e.code].reoperation]
        contact = [r.authored_at.date() for r in raw["responses"][eid]]
        contact += [a.authored_on for a in raw["answers"][eid]]
        lo, hi = surgery + timedelta(days=30), surgery + timedelta(days=180)
        followed = bool([e for e in raw["events"][eid] if surgery <= e.occurred_on <= closes])
        followed = followed or any(lo <= d <= hi for d in contact)
        return eligible, followed, None, float(bool(events))
    if measure in PROM_MEASURES:
        mine = [r for r in raw["responses"][eid] if r.instrument == measure]
        before = sorted(
            (r.authored_at.date(), r.score) for r in mine if r.authored_at.date() <= surgery
        )
        baseline = before[-1][1] if before else None
        target = surgery + timedelta(days=window.days)
        inside = sorted(
            (abs((r.authored_at.date() - target).days), r.authored_at.date(), r.score)
            for r in mine if opens <= r.authored_at.date() <= closes
        )  # fmt: skip
        value = inside[0][2] if inside else None
        return eligible, value is not None and baseline is not None, baseline, value
    answer = next((a for a in raw["answers"][eid] if a.timepoint == tp), None)
    value = None
    if answer and opens <= answer.authored_on <= closes:
        got = answer.satisfaction if measure == "satisfaction" else answer.returned_to_work
        value = None if got is None else float(got)
    return eligible, value is not None, None, value


def _figures(rows: list[Any], measure: str, rule: Rule) -> dict[str, Any]:
    eligible = [r for r in rows if r[0]]
    answered = [r for r in eligible if r[1]]
    n = len(answered)
    k = sum(rule.success(r[2], r[3]) for r in answered)
    base = [r[2] for r in answered]
    follow = [r[3] for r in answered]
    with_base = measure in PROM_MEASURES
    bmean = rounded(sum(base) / n, 1) if n and with_base else None
    fmean = rounded(sum(follow) / n, 1) if n and measure not in EVENT_MEASURES else None
    return {
        "eligible": len(eligible), "responded": n,
        "completeness": rounded(n / len(eligible), 4) if eligible else None,
        "baseline_mean": bmean, "followup_mean": fmean,
        "change_mean": rounded(sum(follow) / n - sum(base) / n, 1) if bmean is not None else None,
        "success_n": k, "success_rate": rounded(k / n, 4) if n else None,
        "success_ci": list(wilson(k, n)) if n else None,
    }  # fmt: skip


def _raw() -> dict[str, Any]:
    raw: dict[str, Any] = {"responses": defaultdict(list), "answers": defaultdict(list),
                           "events": defaultdict(list), "diagnosis": {}}  # fmt: skip
    for r in Response.objects.filter(score__isnull=False):
        raw["responses"][r.episode_id].append(r)
    for a in FollowUpAnswer.objects.all():
        raw["answers"][a.episode_id].append(a)
    for e in AdverseEvent.objects.all():
        raw["events"][e.episode_id].append(e)
    for f in Findings.objects.order_by("recorded_at"):
        raw["diagnosis"][f.episode_id] = f.levels[0]["pathology"]
    return raw


def test_every_figure_equals_a_recomputation_from_raw_rows(
    cast: Cast, registry: list[UUID], settings: Any
) -> None:
    settings.MIN_CELL = 0  # compare every group, however small
    raw = _raw()
    records = list(OperativeRecord.objects.select_related("episode"))
    assert len(records) == len(registry)
    _, definitions = content.definitions()
    compared = 0
    for definition in definitions.values():
        for measure in MEASURES:
            rule = definition.rules[measure]
            for tp in ("90d",) if measure in EVENT_MEASURES else FOLLOWUP_TIMEPOINTS:
                observations = [(r, _observation(measure, tp, r, raw)) for r in records]
                for group_by in GROUP_BY:
                    expected: dict[str, list[Any]] = defaultdict(list)
                    for record, obs in observations:
                        key = _groups(
                            record, raw["diagnosis"].get(record.episode_id, "unspecified")
                        )
                        expected[key[group_by]].append(obs)
                    query = Query(measure, tp, group_by, definition=definition.code)
                    got = outcomes(cast.lead, query, definition)["groups"]
                    want = {k: _figures(v, measure, rule) for k, v in expected.items()}
                    want = {k: v for k, v in want.items() if v["eligible"]}
                    assert {g["key"]: _strip(g) for g in got} == want, (measure, tp, group_by)
                    compared += 1
    assert compared == 2 * (3 * 4 + 2 * 4 + 2) * 6


def _strip(group: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in group.items() if k not in ("key", "label", "suppressed")}
