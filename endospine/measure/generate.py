"""Synthetic registry history: N operated episodes with realistic distributions.

Used by the demo (a two-year history) and by bench/measure_bench.py. Rows are
bulk-inserted (these are past cases, not walked through the journey), then the
outcome facts are built from them by the same service real writes use.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from endospine.accounts.models import Site, User
from endospine.assess.models import Findings
from endospine.journey.models import Episode, Patient, Stage
from endospine.measure.models import AdverseEvent, FollowUpAnswer
from endospine.measure.registry import DEFAULT_WINDOWS
from endospine.measure.services import registry_refresh
from endospine.operate.models import Discharge, OperativeRecord
from endospine.proms.models import Response

# Share of patients answering at each point (younger patients answer less, as in NORspine).
ANSWER_RATE = {"baseline": 0.96, "6w": 0.85, "3m": 0.8, "12m": 0.72, "24m": 0.62}
PATHOLOGY = (
    ("disc_herniation", 0.7),
    ("lateral_recess_stenosis", 0.2),
    ("foraminal_stenosis", 0.1),
)
LEVELS = (("L4-L5", 0.5), ("L5-S1", 0.4), ("L3-L4", 0.1))
POSTOP_EVENTS = (
    ("superficial_infection", 0.012, "I"),
    ("urinary_retention", 0.01, "I"),
    ("haematoma", 0.006, "IIIb"),
    ("recurrent_herniation", 0.03, "II"),
    ("reoperation", 0.025, "IIIb"),
    ("readmission", 0.01, "II"),
)
# Two and a half years, so the 24-month point has closed for the earliest cases.
HISTORY_DAYS = 900
TZ = timezone.get_current_timezone()


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


@dataclass
class _Case:
    episode: Episode
    surgery: date
    age: int
    improves: bool


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=TZ)


def _response(episode_id: UUID, instrument: str, value: float, day: date) -> Response:
    return Response(
        episode_id=episode_id,
        instrument=instrument,
        instrument_version="1",
        answers={},
        resource={"resourceType": "QuestionnaireResponse", "status": "completed"},
        score=value,
        band="",
        answered=10 if instrument == "odi" else 1,
        authored_at=_at(day),
    )


def _proms(rng: random.Random, case: _Case, today: date) -> list[Response]:
    rows: list[Response] = []
    young = case.age < 40
    base = {
        "odi": min(90.0, max(12.0, round(rng.gauss(48, 13)))),
        "nrs_leg": rng.choice([6, 7, 7, 8, 8, 9]),
        "nrs_back": rng.choice([3, 4, 5, 5, 6, 7]),
    }
    pid = case.episode.pk
    if rng.random() < ANSWER_RATE["baseline"]:
        day = case.surgery - timedelta(days=rng.randint(1, 20))
        rows += [_response(pid, m, float(v), day) for m, v in base.items()]
    for tp in ("6w", "3m", "12m", "24m"):
        window = DEFAULT_WINDOWS[tp]
        day = case.surgery + timedelta(days=window.days + rng.randint(-10, 20))
        if day >= today or rng.random() > ANSWER_RATE[tp] - (0.1 if young else 0):
            continue
        share = rng.uniform(0.1, 0.45) if case.improves else rng.uniform(0.75, 1.1)
        rows.append(_response(pid, "odi", round(min(100.0, base["odi"] * share), 1), day))
        rows.append(_response(pid, "nrs_leg", float(min(10, round(base["nrs_leg"] * share))), day))
        rows.append(
            _response(pid, "nrs_back", float(min(10, round(base["nrs_back"] * share))), day)
        )
    return rows


def _answers(rng: random.Random, case: _Case, today: date) -> list[FollowUpAnswer]:
    rows = []
    for tp in ("3m", "12m", "24m"):
        day = case.surgery + timedelta(days=DEFAULT_WINDOWS[tp].days + rng.randint(-5, 15))
        if day >= today or rng.random() > ANSWER_RATE[tp]:
            continue
        sat = rng.choice([1, 1, 2]) if case.improves else rng.choice([2, 3, 4])
        back = rng.random() < (0.85 if case.improves else 0.5)
        back_on = case.surgery + timedelta(days=rng.randint(14, 60)) if back else None
        rows.append(
            FollowUpAnswer(
                episode=case.episode,
                timepoint=tp,
                satisfaction=sat,
                returned_to_work=back,
                returned_to_work_on=back_on,
                authored_on=day,
            )
        )
    return rows


def _events(rng: random.Random, case: _Case, today: date, reporter: User) -> list[AdverseEvent]:
    rows = []
    for code, rate, grade in POSTOP_EVENTS:
        day = case.surgery + timedelta(days=rng.randint(2, 80))
        if rng.random() < rate and day < today:
            rows.append(
                AdverseEvent(
                    episode=case.episode,
                    code=code,
                    occurred_on=day,
                    clavien_dindo=grade,
                    source=AdverseEvent.Source.STAFF,
                    reported_by=reporter,
                )
            )
    return rows


def _record(rng: random.Random, case: _Case, surgeon: User) -> OperativeRecord:
    approach = "transforaminal" if rng.random() < 0.55 else "interlaminar"
    events = ["dural_tear"] if rng.random() < 0.02 else ["none"]
    signed = _at(case.surgery)
    return OperativeRecord(
        episode=case.episode,
        operation_date=case.surgery,
        surgeons=[surgeon.display_name],
        anaesthesia="general",
        technique="uniportal_full_endoscopic",
        approach=approach,
        levels=[_pick(rng, LEVELS)],
        side=rng.choice(["left", "right"]),
        irrigation_fluid="normal_saline",
        irrigation_mode="pump",
        incision_length_mm=8,
        skin_to_skin_minutes=rng.randint(40, 120),
        estimated_blood_loss_ml=rng.randint(5, 60),
        events=events,
        specimen="none",
        closure="suture",
        created_by=surgeon,
        signed_by=surgeon,
        signed_at=signed,
        created_at=signed,
        updated_at=signed,
    )


def _discharge(rng: random.Random, case: _Case, nurse: User) -> Discharge:
    same = rng.random() < 0.75
    at = _at(case.surgery + timedelta(days=0 if same else 1))
    return Discharge(
        episode=case.episode,
        discharged_at=at,
        same_day=same,
        first_walk_hours=3,
        pain_at_discharge=rng.randint(1, 4),
        destination="home",
        follow_up_on=case.surgery + timedelta(days=14),
        instructions_template="default",
        instructions_version=1,
        recorded_by=nurse,
        recorded_at=at,
    )


@transaction.atomic
def generate(
    *, site: Site, surgeons: list[User], nurse: User, n: int, today: date, seed: int = 12
) -> list[UUID]:
    """Create n operated, completed episodes spread over the HISTORY_DAYS before today."""
    rng = random.Random(seed)
    start_mrn = Patient.objects.filter(site=site).count()
    cases: list[_Case] = []
    patients, episodes, plan = [], [], []
    for i in range(n):
        surgery = today - timedelta(days=rng.randint(1, HISTORY_DAYS))
        age = max(20, min(85, int(rng.gauss(48, 13))))
        plan.append((surgery, age))
        born = surgery - timedelta(days=age * 365 + rng.randint(5, 300))
        patients.append(
            Patient(
                site=site,
                mrn=f"REG{start_mrn + i:07d}",
                given_name="Registry",
                family_name=f"Case {start_mrn + i}",
                date_of_birth=born,
            )
        )
    Patient.objects.bulk_create(patients, batch_size=2000)
    for i, (patient, (surgery, age)) in enumerate(zip(patients, plan, strict=True)):
        surgeon = surgeons[i % len(surgeons)]
        episode = Episode(
            patient=patient,
            site=site,
            title="Registry case",
            stage=Stage.COMPLETE,
            surgeon=surgeon,
            nurse=nurse,
            opened_on=surgery - timedelta(days=60),
            surgery_date=surgery,
            discharged_on=surgery,
            closed_on=surgery,
        )
        episodes.append(episode)
        improves = rng.random() < (0.86 if i % len(surgeons) == 0 else 0.8)
        cases.append(_Case(episode, surgery, age, improves))
    Episode.objects.bulk_create(episodes, batch_size=2000)
    _fill(rng, cases, surgeons, nurse, today)
    ids = [e.pk for e in episodes]
    registry_refresh(episode_ids=ids)
    return ids


def _fill(
    rng: random.Random, cases: list[_Case], surgeons: list[User], nurse: User, today: date
) -> None:
    records, discharges, findings, responses = [], [], [], []
    answers: list[FollowUpAnswer] = []
    events: list[AdverseEvent] = []
    for i, case in enumerate(cases):
        surgeon = surgeons[i % len(surgeons)]
        record = _record(rng, case, surgeon)
        records.append(record)
        discharges.append(_discharge(rng, case, nurse))
        finding = {"level": record.levels[0], "pathology": _pick(rng, PATHOLOGY)}
        findings.append(
            Findings(
                episode=case.episode,
                recorded_by=surgeon,
                modality="mri",
                levels=[finding],
                recorded_at=_at(case.surgery - timedelta(days=30)),
            )
        )
        responses += _proms(rng, case, today)
        answers += _answers(rng, case, today)
        events += _events(rng, case, today, nurse)
    batches: list[tuple[Any, list[Any]]] = [
        (OperativeRecord, records),
        (Discharge, discharges),
        (Findings, findings),
        (Response, responses),
        (FollowUpAnswer, answers),
        (AdverseEvent, events),
    ]
    for model, rows in batches:
        model.objects.bulk_create(rows, batch_size=2000)
