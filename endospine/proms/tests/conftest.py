import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """The cast's nine Argon2 hashes cost seconds per test; tests need no real hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
