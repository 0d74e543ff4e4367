from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from endospine.accounts.models import Role
from endospine.journey.models import Episode, Stage
from endospine.testing import make_site, make_staff


def run_demo(*args):
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_fills_every_stage_and_prints_the_logins(db):
    call_command("load_content", stdout=StringIO())
    output = run_demo()
    stages = Counter(Episode.objects.values_list("stage", flat=True))
    assert set(stages) == set(Stage.values)
    assert sum(stages.values()) >= 12
    assert "endospine-demo" in output and "nurse_kim" in output and "(episode at Recover)" in output
    assert "already loaded" in run_demo()


def test_demo_refuses_a_database_with_real_users(db):
    make_staff("real_nurse", Role.NURSE, make_site())
    with pytest.raises(CommandError, match="real users"):
        run_demo()
    assert "not loaded" in run_demo("--if-empty")
    assert not Episode.objects.exists()


def test_demo_staff_and_site_can_be_reached_by_alerts(db):
    from django.core.management import call_command

    from endospine.accounts.models import STAFF_ROLES, Site, User

    call_command("demo")
    site = Site.objects.get(slug="demo-clinic")
    assert site.has_on_call
    for user in User.objects.filter(role__in=STAFF_ROLES):
        assert user.email and user.phone, user.username
