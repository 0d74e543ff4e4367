"""OFFSET against keyset (cursor) paging of the episodes list, query alone, at depth.

    .venv/bin/python bench/paging_bench.py [--episodes 50000] [--reps 40]

Builds --episodes episodes at one site (bulk, then ANALYZE) on SQLite and on
PostgreSQL (throw-away databases), then times fetching one page of 25 rows in
the worklist order (`-stage_changed_at, -id`, the order of the
`episode_site_order` index) for a nurse of that site: page 1, page 200 and the
last page, by OFFSET and by cursor. Prints median and p95 in ms and the ratio
to page 1. Only the page query is timed (no count, no audit, no HTTP), so the
figures show what depth costs.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZE = 25


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def child(episodes: int, reps: int) -> dict[str, object]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "endospine.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from endospine.accounts.models import Role
    from endospine.core import clock, paging
    from endospine.journey import selectors
    from endospine.journey.api import EPISODE_ORDER
    from endospine.journey.models import Episode, Patient, Stage
    from endospine.testing import make_site, make_staff

    call_command("migrate", verbosity=0)
    site = make_site("bench", "Bench Site")
    nurse = make_staff("bench_nurse", Role.NURSE, site)
    patients = Patient.objects.bulk_create(
        Patient(site=site, mrn=f"B{i}", given_name="G", family_name=f"F{i}",
                date_of_birth=date(1970, 1, 1))
        for i in range(episodes)
    )  # fmt: skip
    start, stages = clock.now(), list(Stage.values)
    Episode.objects.bulk_create(
        Episode(patient=p, site=site, title="L4-L5 disc", stage=stages[i % len(stages)],
                stage_changed_at=start - timedelta(seconds=i // 3))  # ties: 3 per second
        for i, p in enumerate(patients)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    listing = selectors.worklist(nurse)
    last = (episodes - 1) // SIZE + 1

    def cursor_before(page: int) -> str | None:
        rows = list(listing[(page - 1) * SIZE - 1 : (page - 1) * SIZE])
        return paging.encode(rows[0], EPISODE_ORDER) if rows else None

    cursors = {200: cursor_before(200), last: cursor_before(last)}
    targets = {
        "page 1": lambda: list(listing[:SIZE]),
        "page 200, OFFSET": lambda: list(listing[199 * SIZE : 200 * SIZE]),
        "page 200, cursor": lambda: (
            paging.keyset_page(listing, order=EPISODE_ORDER, size=SIZE, cursor=cursors[200]).items
        ),
        f"page {last} (last), OFFSET": lambda: list(listing[(last - 1) * SIZE : last * SIZE]),
        f"page {last} (last), cursor": lambda: (
            paging.keyset_page(listing, order=EPISODE_ORDER, size=SIZE, cursor=cursors[last]).items
        ),
    }
    results: dict[str, object] = {"vendor": connection.vendor}
    reference = [e.pk for e in listing[199 * SIZE : 200 * SIZE]]
    assert [e.pk for e in targets["page 200, cursor"]()] == reference
    for name, fetch in targets.items():
        fetch()
        timings = []
        for _ in range(reps):
            began = time.perf_counter()
            fetch()
            timings.append((time.perf_counter() - began) * 1000)
        results[name] = (round(percentile(timings, 0.5), 2), round(percentile(timings, 0.95), 2))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.episodes, args.reps)))
        return
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    pg = subprocess.run(["bash", str(ROOT / "scripts/postgres.sh")], capture_output=True, text=True)
    server = pg.stdout.strip().rsplit("/", 1)[0]
    admin = ["psql", f"{server}/postgres", "-qc"]
    subprocess.run([*admin, "DROP DATABASE IF EXISTS endospine_paging"], capture_output=True)
    subprocess.run([*admin, "CREATE DATABASE endospine_paging"], check=True, capture_output=True)
    command = [sys.executable, __file__, "--child", "--episodes", str(args.episodes)]
    command += ["--reps", str(args.reps)]
    print(f"{args.episodes} episodes at one site; one page of {SIZE}; {args.reps} repetitions")
    with tempfile.TemporaryDirectory() as data_dir:
        backends = {
            "SQLite": {**base, "ENDOSPINE_DATA_DIR": data_dir},
            "PostgreSQL": {**base, "ENDOSPINE_DATA_DIR": data_dir,
                           "DATABASE_URL": f"{server}/endospine_paging"},
        }  # fmt: skip
        for label, env in backends.items():
            out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            result.pop("vendor")
            first_p95 = result["page 1"][1]
            print(f"\n{label}\n  {'page':<26} {'median ms':>10} {'p95 ms':>8} {'p95 / page 1':>13}")
            for name, (median, p95) in result.items():
                print(f"  {name:<26} {median:>10} {p95:>8} {p95 / first_p95:>12.1f}x")
    subprocess.run([*admin, "DROP DATABASE IF EXISTS endospine_paging"], capture_output=True)


if __name__ == "__main__":
    main()
