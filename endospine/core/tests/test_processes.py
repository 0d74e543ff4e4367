"""Issue 9: the rate limit holds across processes (shared cache, no extra server)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
# One process's share of the requests: a fixed address, scope and minute
# (so a slow start cannot cross into the next window), counting how many the
# limit allowed.
SCRIPT = """
import django, sys, time
time.time = lambda: 1_800_000_030.0
django.setup()
from django.test import RequestFactory
from endospine.core import ratelimit
request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.50")
print(sum(ratelimit.allow(request, sys.argv[1]) for _ in range(int(sys.argv[2]))))
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "endospine.settings"}
    env.update(ENDOSPINE_RATE_LIMIT_PER_MINUTE="10", ENDOSPINE_SECRET_KEY="x" * 50, **extra)
    if connection.vendor == "postgresql":  # the test database, shared with the children
        settings_dict = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@"
            f"{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}/"
            f"{settings_dict['NAME']}"
        )
    else:
        env.pop("DATABASE_URL", None)
        env["ENDOSPINE_DATA_DIR"] = str(tmp_path)
    return env


def _allowed(env: dict[str, str], scope: str, tries: int) -> int:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, scope, str(tries)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(out.stdout.strip().splitlines()[-1])


def _two_processes(env: dict[str, str], scope: str) -> tuple[int, int]:
    """Process A spends 6 of the 10; process B, started after, gets only the other 4."""
    return _allowed(env, scope, 6), _allowed(env, scope, 8)


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_across_two_processes_with_the_database_cache(tmp_path):
    env = _env(tmp_path)
    # (The test database was migrated with the tests' in-memory cache, so
    # its cache table is made here, as `migrate` makes it in production.)
    subprocess.run(
        [sys.executable, "-m", "endospine.cli", "createcachetable"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert _two_processes(env, f"two-proc-{tmp_path.name}") == (6, 4)


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_limit_holds_across_two_processes_with_redis(tmp_path):
    env = _env(tmp_path, ENDOSPINE_CACHE_URL="redis://127.0.0.1:6379/15")
    assert _two_processes(env, f"two-proc-{tmp_path.name}") == (6, 4)


def test_the_shipped_default_cache_is_the_shared_database_cache():
    from endospine import settings as shipped

    assert shipped.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
