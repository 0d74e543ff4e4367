from datetime import date

import pytest

from conftest import Cast
from endospine.accounts.models import Role
from endospine.measure.generate import generate
from endospine.testing import make_staff


@pytest.fixture
def registry(cast: Cast) -> list[object]:
    """120 operated episodes at North: Dr Sam and a second surgeon, Dr Chen."""
    chen = make_staff("dr_chen", Role.SURGEON, cast.north)
    return generate(site=cast.north, surgeons=[cast.surgeon, chen], nurse=cast.nurse, n=120,
                    today=date.today())  # fmt: skip
