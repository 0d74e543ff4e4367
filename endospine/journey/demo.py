"""Demo data: one site, its team, and patients spread over every stage.

Each step app fills in its own records through its own services
(`endospine/<app>/demo.py: populate(ctx)`), moving episodes forward the way
real use would. Whatever a step did not move is moved here at the end, so the
demo always has every stage populated.
"""

import importlib
from datetime import date, timedelta

from django.db import transaction

from endospine.accounts.models import Role, Site, User
from endospine.core.demo import DemoContext
from endospine.journey.models import Episode, Stage
from endospine.journey.services import change_stage
from endospine.testing import make_patient, make_staff

DEMO_SITE_SLUG = "demo-clinic"
DEMO_PASSWORD = "endospine-demo"
STEP_APPS = ("assess", "prepare", "operate", "recover", "proms", "measure")
ORDER = (Stage.LEARN, Stage.ASSESS, Stage.PREPARE, Stage.OPERATE, Stage.RECOVER, Stage.COMPLETE)

# (given, family, problem, target stage, surgery offset in days from today)
PATIENTS: list[tuple[str, str, str, str, int | None]] = [
    ("Alex", "Morgan", "Sciatica, left leg", Stage.LEARN, None),
    ("Blair", "Nguyen", "Low back and right leg pain", Stage.LEARN, None),
    ("Casey", "Okafor", "L5-S1 disc herniation, right", Stage.ASSESS, None),
    ("Devon", "Petrov", "L4-L5 lateral recess stenosis", Stage.ASSESS, None),
    ("Emery", "Quist", "L4-L5 disc herniation, left", Stage.PREPARE, 14),
    ("Finley", "Rossi", "L3-L4 foraminal herniation", Stage.PREPARE, 21),
    ("Gray", "Santos", "L5-S1 disc herniation, left", Stage.OPERATE, 1),
    ("Harper", "Tanaka", "L4-L5 recurrent herniation", Stage.OPERATE, 2),
    ("Indy", "Ueda", "L5-S1 disc herniation, right", Stage.RECOVER, -2),
    ("Jordan", "Varga", "L4-L5 disc herniation, right", Stage.RECOVER, -9),
    ("Kai", "Weber", "L4-L5 foraminal stenosis", Stage.RECOVER, -40),
    ("Logan", "Xu", "L5-S1 disc herniation, left", Stage.COMPLETE, -120),
    ("Morgan", "Young", "L2-L3 disc herniation", Stage.CANCELLED, None),
]


# One patient login per stage, so every step can be tried as a patient.
DEMO_USERNAMES = [
    *("dr_rivera", "dr_chen", "nurse_kim", "coord_lee", "lead_patel", "admin"),
    *("alex", "casey", "emery", "gray", "indy", "logan"),
]


def demo_loaded() -> bool:
    return Site.objects.filter(slug=DEMO_SITE_SLUG).exists()


def _team(site: Site) -> dict[str, User]:
    people = {
        "surgeon": ("dr_rivera", Role.SURGEON),
        "surgeon2": ("dr_chen", Role.SURGEON),
        "nurse": ("nurse_kim", Role.NURSE),
        "coordinator": ("coord_lee", Role.COORDINATOR),
        "lead": ("lead_patel", Role.PROGRAM_LEAD),
        "admin": ("admin", Role.ADMIN),
    }
    team = {
        key: make_staff(name, role, *([site] if role != Role.ADMIN else []), password=DEMO_PASSWORD)
        for key, (name, role) in people.items()
    }
    # Reserved example addresses and fictional 555 numbers: the console backends
    # show what an alert would send to each of them.
    for index, user in enumerate(team.values()):
        user.email = f"{user.username}@riverside.example"
        user.phone = f"+1 555 01{50 + index}"
        user.save(update_fields=["email", "phone"])
    return team


def _walk_to(episode: Episode, target: str, actor: User) -> None:
    """Move an episode forward stage by stage to its target (overriding gates)."""
    if target == Stage.CANCELLED:
        change_stage(
            episode=episode,
            to_stage=Stage.CANCELLED,
            actor=actor,
            reason="Patient chose conservative care",
        )
        return
    while ORDER.index(episode.stage) < ORDER.index(target):
        next_stage = ORDER[ORDER.index(episode.stage) + 1]
        episode = change_stage(
            episode=episode,
            to_stage=next_stage,
            actor=actor,
            reason="demo",
            override_reason="demo data",
        )


@transaction.atomic
def build() -> DemoContext:
    site = Site.objects.create(
        name="Riverside Spine Centre",
        slug=DEMO_SITE_SLUG,
        emergency_number="911",
        care_team_phone="+1 555 0142",
        on_call_phone="+1 555 0149",
        on_call_email="on-call@riverside.example",
    )
    team = _team(site)
    ctx = DemoContext(
        site=site,
        surgeons=[team["surgeon"], team["surgeon2"]],
        nurse=team["nurse"],
        coordinator=team["coordinator"],
        lead=team["lead"],
        admin=team["admin"],
        patients=[],
    )
    for index, (given, family, problem, target, offset) in enumerate(PATIENTS):
        patient = make_patient(
            f"{given.lower()}", site, password=DEMO_PASSWORD, given=given, family=family
        )
        patient.user.first_name, patient.user.last_name = given, family  # type: ignore[union-attr]
        patient.user.save(update_fields=["first_name", "last_name"])  # type: ignore[union-attr]
        ctx.patients.append(patient)
        episode = Episode.objects.create(
            patient=patient,
            site=site,
            title=problem,
            surgeon=ctx.surgeons[index % 2],
            nurse=ctx.nurse,
            opened_on=date.today() - timedelta(days=150 - index * 5),
            surgery_date=date.today() + timedelta(days=offset) if offset is not None else None,
        )
        if target != Stage.LEARN:
            episode = change_stage(
                episode=episode,
                to_stage=Stage.ASSESS,
                actor=ctx.coordinator,
                reason="Referred by primary care",
            )
        ctx.episodes.setdefault(target, []).append(episode)
    for app in STEP_APPS:
        _populate(app, ctx)
    for target, episodes in ctx.episodes.items():
        for episode in episodes:
            episode.refresh_from_db()
            if episode.stage != target:
                _walk_to(episode, target, ctx.surgeons[0])
    ctx.logins = [(u.role, u.username, DEMO_PASSWORD) for u in team.values()]
    ctx.logins += [("patient", p.user.username, DEMO_PASSWORD) for p in ctx.patients[:3]]  # type: ignore[union-attr]
    return ctx


def _populate(app: str, ctx: DemoContext) -> None:
    try:
        module = importlib.import_module(f"endospine.{app}.demo")
    except ModuleNotFoundError:
        return
    for episodes in ctx.episodes.values():
        for episode in episodes:
            episode.refresh_from_db()
    module.populate(ctx)
