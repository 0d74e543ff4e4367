"""Speed of the outcomes registry's reads at scale: GET /api/v1/outcomes per group_by,
every dashboard query, the dashboard page and the public outcomes.

    .venv/bin/python bench/measure_bench.py [--episodes 10000] [--repeat 7]
    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/measure_bench.py --episodes 1000000

Every report reads only the maintained tables (OutcomeFact: one row per operated
episode x measure x timepoint, 22 per episode; OutcomeCell: their monthly sums), so
the bench bulk-loads the facts directly with realistic distributions (COPY on
PostgreSQL, executemany on SQLite; foreign-key checks off during the load, as the
episodes themselves are read by no report), then builds the cells with the same
summary.cells_refresh the application uses. Prints medians and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    tmp = tempfile.mkdtemp(prefix="measure-bench-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"
    )
    os.environ["ENDOSPINE_DATA_DIR"] = tmp
    os.environ["ENDOSPINE_RATE_LIMIT_PER_MINUTE"] = "100000000"
    os.environ["ENDOSPINE_STAFF_REQUIRE_2FA"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "endospine.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def report(name: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    print(f"{name:<44} median {statistics.median(samples) * 1e3:9.1f} ms  p95 {p95 * 1e3:9.1f} ms")
    return p95


def timed(fn: Callable[[], object], n: int) -> list[float]:
    fn()  # warm caches (and Django's URL resolver) once
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


FOLLOWUPS = ("odi", "nrs_back", "nrs_leg", "satisfaction", "return_to_work")
MEASURES = [(m, tp) for m in FOLLOWUPS for tp in ("6w", "3m", "12m", "24m")]
MEASURES += [("adverse_events", "90d"), ("reoperation", "90d")]
DAYS = {"6w": (42, 14), "3m": (91, 30), "12m": (365, 61), "24m": (730, 91), "90d": (90, 0)}
ANSWER = {"6w": 0.85, "3m": 0.8, "12m": 0.72, "24m": 0.62, "90d": 0.9}


def fact_rows(n: int, sites: list[str], surgeons: list[list[str]], today: date) -> Iterator[tuple]:
    rng = random.Random(12)
    for _ in range(n):
        episode = str(uuid.uuid4())
        s = rng.randrange(len(sites))
        surgeon = rng.choice(surgeons[s])
        surgery = today - timedelta(days=rng.randint(1, 900))
        approach = "transforaminal" if rng.random() < 0.55 else "interlaminar"
        level = rng.choices(["L4-L5", "L5-S1", "L3-L4"], [5, 4, 1])[0]
        diagnosis = rng.choices(["disc_herniation", "lateral_recess_stenosis"], [7, 3])[0]
        age = max(20, min(85, int(rng.gauss(48, 13))))
        same_day = rng.random() < 0.75
        improves = rng.random() < 0.82
        base = {"odi": float(rng.randint(20, 80)), "nrs_back": float(rng.randint(3, 8)),
                "nrs_leg": float(rng.randint(5, 10))}  # fmt: skip
        event = rng.random() < 0.06
        for measure, tp in MEASURES:
            days, after = DAYS[tp]
            closes = surgery + timedelta(days=days + after)
            answered = rng.random() < ANSWER[tp]
            baseline = base.get(measure)
            if measure in base:
                share = rng.uniform(0.1, 0.45) if improves else rng.uniform(0.75, 1.1)
                value = round(base[measure] * share, 1) if answered else None
            elif measure == "satisfaction":
                value = (
                    float(rng.choice([1, 1, 2] if improves else [2, 3, 4])) if answered else None
                )
            elif measure == "return_to_work":
                value = float(rng.random() < 0.8) if answered else None
            else:
                value = float(event and (measure == "adverse_events" or rng.random() < 0.4))
            responded = answered and (measure not in base or baseline is not None)
            yield (episode, sites[s], surgeon, approach, level, diagnosis, surgery.isoformat(), age,
                   same_day, base["odi"], measure, tp, closes.isoformat(), responded, baseline,
                   value)  # fmt: skip


def load(n: int, sites: list[str], surgeons: list[list[str]], today: date) -> float:
    from django.db import connection, transaction

    from endospine.measure.facts import COLUMNS

    start = time.perf_counter()
    rows = fact_rows(n, sites, surgeons, today)
    if connection.vendor == "sqlite":
        # The episodes themselves are not loaded (no read needs them): no FK checks.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # no FK triggers
            copy_sql = f"COPY measure_outcomefact ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            sql = (f"INSERT INTO measure_outcomefact ({', '.join(COLUMNS)}) "
                   f"VALUES ({', '.join(['%s'] * len(COLUMNS))})")  # fmt: skip
            batch: list[tuple] = []
            for row in rows:
                r = list(row)
                r[0], r[1], r[2] = (uuid.UUID(r[0]).hex, uuid.UUID(r[1]).hex, uuid.UUID(r[2]).hex)
                batch.append(tuple(r))
                if len(batch) >= 50_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    from endospine.measure.summary import cells_refresh

    cells = cells_refresh(None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"summary cells built: {cells:,}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from endospine.accounts.models import Role
    from endospine.measure import dashboard
    from endospine.measure.public import public_outcomes
    from endospine.measure.selectors import Query, default_definition
    from endospine.testing import make_site, make_staff

    today = date.today()
    site_objs = [make_site("north", "North"), make_site("south", "South")]
    surgeons = [[make_staff(f"s{i}_{j}", Role.SURGEON, site) for j in range(6)]
                for i, site in enumerate(site_objs)]  # fmt: skip
    lead = make_staff("lead_bench", Role.PROGRAM_LEAD, *site_objs)
    seconds = load(args.episodes, [str(s.pk) for s in site_objs],
                   [[str(u.pk) for u in group] for group in surgeons], today)  # fmt: skip
    print(f"{connection.vendor}: {args.episodes:,} operated episodes, "
          f"{args.episodes * len(MEASURES):,} fact rows loaded in {seconds:.1f} s")  # fmt: skip
    client = Client()
    client.force_login(lead)
    worst = 0.0
    for group_by in ("program", "site", "surgeon", "approach", "level", "diagnosis"):
        url = f"/api/v1/outcomes?measure=odi&timepoint=12m&group_by={group_by}"
        worst = max(worst, report(f"GET outcomes odi 12m by {group_by}",
                                  timed(lambda u=url: client.get(u), args.repeat)))  # fmt: skip
    url = "/api/v1/outcomes?measure=adverse_events&timepoint=90d&group_by=surgeon"
    worst = max(worst, report("GET outcomes adverse_events by surgeon",
                              timed(lambda: client.get(url), args.repeat)))  # fmt: skip
    definition = default_definition()
    query = Query("odi", "12m")
    for name, fn in (
        ("dashboard trends by quarter", lambda: dashboard.trends(lead, query, definition)),
        ("dashboard funnel (case-mix adjusted)", lambda: dashboard.funnel(lead, query, definition)),
        ("dashboard completeness (12 queries)",
         lambda: dashboard.completeness(lead, query, definition)),
        ("dashboard responders vs not", lambda: dashboard.responders(lead, query, definition)),
        ("public outcomes (JSON body)", public_outcomes),
    ):  # fmt: skip
        worst = max(worst, report(name, timed(fn, args.repeat)))
    report("dashboard page, all tiles (GET /measure/)",
           timed(lambda: client.get("/measure/"), max(3, args.repeat // 2)))  # fmt: skip
    print(f"worst single-query p95: {worst * 1e3:.1f} ms")
    if os.environ.get("BENCH_EXPLAIN"):
        from endospine.measure.selectors import facts_for

        print(facts_for(lead, query).values("surgeon_id").annotate(n=Count("pk")).explain())


if __name__ == "__main__":
    main()
