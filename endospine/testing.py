"""Builders for tests, benchmarks and the demo: a site, its people, episodes.

Deterministic on purpose: tests read better with named people than with
random factories, and every builder goes through the real models.
"""

import itertools
from datetime import date, timedelta

from endospine.accounts.models import Membership, Role, Site, User
from endospine.journey.models import Episode, Patient, Stage

PASSWORD = "correct-horse-battery-staple"
_mrn = itertools.count(1000)


def make_site(slug: str = "north", name: str = "North Spine Clinic", **extra: object) -> Site:
    defaults: dict[str, object] = {
        "name": name,
        "emergency_number": "911",
        "care_team_phone": "+1 555 0100",
    }
    defaults.update(extra)
    site, _ = Site.objects.get_or_create(slug=slug, defaults=defaults)
    return site


def make_staff(username: str, role: str, *sites: Site, password: str = PASSWORD) -> User:
    first, _, last = username.partition("_")
    user = User.objects.create_user(
        username=username,
        password=password,
        role=role,
        first_name=first.capitalize(),
        last_name=last.capitalize(),
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    for site in sites:
        Membership.objects.create(user=user, site=site)
    return user


def make_patient(
    username: str, site: Site, *, password: str = PASSWORD, given: str = "", family: str = ""
) -> Patient:
    user = User.objects.create_user(username=username, password=password, role=Role.PATIENT)
    return Patient.objects.create(
        user=user,
        site=site,
        mrn=f"MRN{next(_mrn)}",
        given_name=given or username.capitalize(),
        family_name=family or "Example",
        date_of_birth=date(1975, 5, 17),
        phone="+1 555 0199",
        email=f"{username}@example.invalid",
    )


def make_episode(
    patient: Patient,
    *,
    stage: str = Stage.LEARN,
    surgeon: User | None = None,
    nurse: User | None = None,
    title: str = "L4-L5 disc herniation",
    surgery_in_days: int | None = None,
) -> Episode:
    surgery_date = None
    if surgery_in_days is not None:
        surgery_date = date.today() + timedelta(days=surgery_in_days)
    return Episode.objects.create(
        patient=patient,
        site=patient.site,
        title=title,
        stage=stage,
        surgeon=surgeon,
        nurse=nurse,
        surgery_date=surgery_date,
    )


def well_inside_a_minute() -> None:
    """Rate limits count per wall-clock minute: a test of the limit starts where no
    minute boundary can fall inside it (waits at most 16 s, rarely)."""
    import time

    if time.time() % 60 > 45:
        time.sleep(61 - time.time() % 60)
