import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings: object) -> None:
    """The cast hashes nine passwords with Argon2 per test; MD5 keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
