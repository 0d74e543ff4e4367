from datetime import date
from uuid import UUID

import pytest

from conftest import Cast
from endospine.accounts.models import Role, User
from endospine.measure.generate import generate
from endospine.testing import make_staff


@pytest.fixture
def chen(cast: Cast) -> User:
    """A second surgeon at North."""
    return make_staff("dr_chen", Role.SURGEON, cast.north)


@pytest.fixture
def registry(cast: Cast, chen: User) -> list[UUID]:
    """60 operated episodes at North over two years, for Dr Sam and Dr Chen."""
    return generate(site=cast.north, surgeons=[cast.surgeon, chen], nurse=cast.nurse, n=60,
                    today=date.today())  # fmt: skip
