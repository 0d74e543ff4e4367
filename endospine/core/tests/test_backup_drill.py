"""Issue 9: the backup drill. Check-ins keep arriving while `endospine backup`
runs; the backup restored into a fresh data directory holds every check-in
committed before the backup started.
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
WRITER = """
import sys, django
django.setup()
from django.db import transaction
from django.utils import timezone
from endospine.journey.models import Stage
from endospine.recover.models import Checkin
from endospine.testing import make_episode, make_patient, make_site
episode = make_episode(make_patient("drill", make_site("drill", "Drill")), stage=Stage.RECOVER)
with open(sys.argv[1], "a", buffering=1) as log:
    for i in range(100000):
        with transaction.atomic():
            c = Checkin.objects.create(
                episode=episode, submitted_at=timezone.now(), level="routine",
                ruleset_version="drill", idempotency_key=f"drill-{i}",
            )
        log.write(f"{c.pk.hex}\\n")  # written only once committed
"""


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    host = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{host}/{name}"


def _env(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENDOSPINE_", "DATABASE_URL"))}
    env.update(ENDOSPINE_DATA_DIR=str(data_dir), ENDOSPINE_SECRET_KEY="d" * 50)
    env["ENDOSPINE_LOG_LEVEL"] = "WARNING"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _endospine(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "endospine.cli", *args],
        env=env, cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def _committed(log: Path) -> set[str]:
    return {line for line in log.read_text().splitlines() if len(line) == 32}


@pytest.mark.django_db(transaction=True)
def test_backup_while_writing_then_restore_into_a_fresh_data_dir(tmp_path):
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    live.mkdir()
    if connection.vendor == "sqlite":
        # The migrated (empty) test database, copied to a file the processes share.
        connection.ensure_connection()
        copy = sqlite3.connect(live / "endospine.sqlite3")
        connection.connection.backup(copy)
        copy.close()
        env, fresh_env = _env(live), _env(fresh)
    else:
        restored = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
            cursor.execute(f'CREATE DATABASE "{restored}"')
        env, fresh_env = (
            _env(live, _pg_url(connection.settings_dict["NAME"])),
            _env(fresh, _pg_url(restored)),
        )
    log, archive = tmp_path / "committed.log", tmp_path / "backup.db"
    log.touch()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(log)], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while len(_committed(log)) < 30 and time.monotonic() < deadline:
            time.sleep(0.1)
        before = _committed(log)
        assert len(before) >= 30, "the writer never got going"
        _endospine(env, "backup", str(archive))
        after = _committed(log)
    finally:
        writer.kill()
        writer.wait()
    assert len(after) > len(before), "check-ins kept arriving during the backup"
    _endospine(fresh_env, "restore", str(archive))
    if connection.vendor == "sqlite":
        db = sqlite3.connect(fresh / "endospine.sqlite3")
        rows = db.execute("select id from recover_checkin").fetchall()
        db.close()
    else:
        import psycopg

        with psycopg.connect(_pg_url(restored)) as pg:
            rows = pg.execute("select replace(id::text, '-', '') from recover_checkin").fetchall()
    restored_ids = {str(row[0]).replace("-", "") for row in rows}
    assert before <= restored_ids, f"{len(before - restored_ids)} committed check-ins lost"
