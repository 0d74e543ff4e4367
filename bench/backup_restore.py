"""Backup and restore time for a program with N episodes (docs/operations.md).

    .venv/bin/python bench/backup_restore.py [--episodes 100000] [--runs 3] [--pg]

Builds a throw-away database (SQLite in a temp data dir; with --pg also a
PostgreSQL database es_backup_bench) holding N patients, N episodes and one
check-in each, then times `endospine backup` and `endospine restore` into a
fresh data dir / database. Prints the median of --runs runs and the backup size.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
FILL = """
import sys, django
django.setup()
from datetime import date
from django.utils import timezone
from endospine.journey.models import Episode, Patient, Stage
from endospine.recover.models import Checkin
from endospine.testing import make_site
n, site, now = int(sys.argv[1]), make_site("bench", "Bench"), timezone.now()
for start in range(0, n, 5000):
    size = min(5000, n - start)
    patients = Patient.objects.bulk_create(
        Patient(site=site, mrn=f"B{start + i}", given_name="Given", family_name="Family",
                date_of_birth=date(1970, 1, 1)) for i in range(size))
    episodes = Episode.objects.bulk_create(
        Episode(patient=p, site=site, title="L4-L5 disc", stage=Stage.RECOVER) for p in patients)
    Checkin.objects.bulk_create(
        Checkin(episode=e, submitted_at=now, level="routine", ruleset_version="bench",
                answers={"pain_back": 3, "pain_leg": 2}) for e in episodes)
"""  # fmt: skip


def endospine(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/endospine"), *args], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def env_for(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENDOSPINE_", "DATABASE_URL"))}
    env.update(ENDOSPINE_DATA_DIR=str(data_dir), ENDOSPINE_SECRET_KEY="b" * 50)
    env["DJANGO_SETTINGS_MODULE"] = "endospine.settings"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def recreate(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _db(env: dict[str, str]) -> dict[str, object]:
    url = env.get("DATABASE_URL", "")
    if not url:
        return {
            "ENGINE": "sqlite3",
            "NAME": str(Path(env["ENDOSPINE_DATA_DIR"]) / "endospine.sqlite3"),
        }
    name = url.rsplit("/", 1)[1]
    return {"ENGINE": "postgresql", "NAME": name, "USER": "postgres", "HOST": "127.0.0.1"}


def measure(
    label: str, live: dict[str, str], fresh: dict[str, str], archive: Path, runs: int
) -> None:
    """The command (with its start-up) and the copy alone (endospine.core.backup)."""
    sys.path.insert(0, str(ROOT))
    from endospine.core import backup

    commands: dict[str, list[float]] = {"backup": [], "restore": []}
    copies: dict[str, list[float]] = {"backup": [], "restore": []}
    for _ in range(runs):
        commands["backup"].append(endospine(live, "backup", str(archive)))
        commands["restore"].append(endospine(fresh, "restore", "--force", str(archive)))
        started = time.perf_counter()
        backup.backup(_db(live), archive)
        copies["backup"].append(time.perf_counter() - started)
        started = time.perf_counter()
        backup.restore(_db(fresh), archive)
        copies["restore"].append(time.perf_counter() - started)
    size = archive.stat().st_size / 1e6
    for step in ("backup", "restore"):
        print(
            f"{label} {step}: median {statistics.median(copies[step]):.1f} s for the copy, "
            f"{statistics.median(commands[step]):.1f} s for the command with its start-up "
            f"(runs={runs}, backup {size:.0f} MB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        live = env_for(base / "live")
        endospine(live, "migrate", "-v0")
        subprocess.run(
            [sys.executable, "-c", FILL, str(args.episodes)], env=live, check=True, cwd=ROOT
        )
        print(f"{args.episodes} episodes, {args.episodes} patients, {args.episodes} check-ins")
        measure("SQLite", live, env_for(base / "fresh"), base / "backup.sqlite3", args.runs)
        if args.pg:
            recreate("es_backup_bench")
            recreate("es_backup_bench_restored")
            pg_live = env_for(base / "pg", f"{PG}/es_backup_bench")
            endospine(pg_live, "migrate", "-v0")
            subprocess.run(
                [sys.executable, "-c", FILL, str(args.episodes)], env=pg_live, check=True, cwd=ROOT
            )
            fresh = env_for(base / "pgfresh", f"{PG}/es_backup_bench_restored")
            measure("PostgreSQL", pg_live, fresh, base / "backup.pgdump", args.runs)


if __name__ == "__main__":
    main()
