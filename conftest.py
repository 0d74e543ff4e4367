"""The named cast every test can use.

Site North has Pat (a patient with an episode), Quinn (another patient),
Dr Sam Surgeon, Nina Nurse, Cody Coordinator; site South has Nora (a nurse)
and Sid (a patient). Lee leads the program; Ada administers.
"""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from endospine.accounts.models import Role, Site, User
from endospine.journey.models import Episode, Patient, Stage
from endospine.testing import PASSWORD, make_episode, make_patient, make_site, make_staff


@dataclass
class Cast:
    north: Site
    south: Site
    pat: Patient
    quinn: Patient
    sid: Patient
    surgeon: User
    nurse: User
    coordinator: User
    nurse_south: User
    lead: User
    admin: User
    episode: Episode  # Pat's
    quinn_episode: Episode
    south_episode: Episode  # Sid's, at site South

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def pytest_configure(config: pytest.Config) -> None:
    """Prepare the data dir as `endospine init` would: settings import creates nothing."""
    from django.conf import settings

    from endospine.bootstrap import init_from_environment, read_generated_key

    init_from_environment()
    if not os.environ.get("ENDOSPINE_SECRET_KEY"):
        settings.SECRET_KEY = read_generated_key(settings.DATA_DIR)
    # In-process tests clear the cache between tests, some without a database;
    # the shipped database cache and Redis are tested across real processes
    # (endospine/core/tests/test_processes.py).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Argon2 is deliberately slow; tests create many users, so hash them cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def cast(db: None, settings: object) -> Cast:
    settings.STAFF_REQUIRE_2FA = False  # type: ignore[attr-defined]
    north = make_site("north", "North Spine Clinic")
    south = make_site("south", "South Spine Centre", emergency_number="999")
    surgeon = make_staff("sam_surgeon", Role.SURGEON, north)
    nurse = make_staff("nina_nurse", Role.NURSE, north)
    pat = make_patient("pat", north, given="Pat", family="Doe")
    quinn = make_patient("quinn", north, given="Quinn", family="Roe")
    sid = make_patient("sid", south, given="Sid", family="Poe")
    return Cast(
        north=north,
        south=south,
        pat=pat,
        quinn=quinn,
        sid=sid,
        surgeon=surgeon,
        nurse=nurse,
        coordinator=make_staff("cody_coordinator", Role.COORDINATOR, north),
        nurse_south=make_staff("nora_nurse", Role.NURSE, south),
        lead=make_staff("lee_lead", Role.PROGRAM_LEAD, north),
        admin=make_staff("ada_admin", Role.ADMIN),
        episode=make_episode(pat, stage=Stage.ASSESS, surgeon=surgeon, nurse=nurse),
        quinn_episode=make_episode(quinn, stage=Stage.LEARN, surgeon=surgeon, nurse=nurse),
        south_episode=make_episode(sid, stage=Stage.ASSESS),
    )


@pytest.fixture
def password() -> str:
    return PASSWORD


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from pathlib import Path

    if Path("/usr/bin/chromium").exists():
        return
    skip = pytest.mark.skip(
        reason="Chromium is not installed (/usr/bin/chromium): browser tests skipped"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
