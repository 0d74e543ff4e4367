"""Staff worklist and episodes API for a site with 10,000 episodes (or --episodes).

Runs the same measurement on SQLite and on PostgreSQL (each in a throw-away
database), through Django's full request stack in-process, and prints the
median and p95 per page size plus the SQL query count per request. The
episodes API is measured at page 1 and page 200, by OFFSET and by cursor
(docs/deploy.md: keyset paging).

    .venv/bin/python bench/worklist_bench.py [--episodes 10000] [--requests 60]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def child(episodes: int, requests: int) -> dict[str, object]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "endospine.settings")
    os.environ["ENDOSPINE_STAFF_REQUIRE_2FA"] = "false"
    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from endospine.accounts.models import ApiToken, Role
    from endospine.journey.models import Episode, Patient, Stage
    from endospine.testing import make_site, make_staff

    # Keep one connection across requests, as a long-lived server process does.
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    site = make_site("bench", "Bench Site")
    nurse = make_staff("bench_nurse", Role.NURSE, site)
    surgeon = make_staff("bench_surgeon", Role.SURGEON, site)
    from datetime import date

    patients = Patient.objects.bulk_create(
        Patient(
            site=site,
            mrn=f"B{i}",
            given_name=f"Given{i}",
            family_name=f"Family{i}",
            date_of_birth=date(1970, 1, 1),
        )
        for i in range(episodes)
    )
    stages = list(Stage.values)
    Episode.objects.bulk_create(
        Episode(
            patient=p,
            site=site,
            title="L4-L5 disc",
            stage=stages[i % len(stages)],
            surgeon=surgeon,
            nurse=nurse,
        )
        for i, p in enumerate(patients)
    )
    # Fresh statistics, as autovacuum would gather after a bulk load: without
    # them PostgreSQL plans blind and the figures are pessimistic.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    web = Client()
    web.force_login(nurse)
    _, raw = ApiToken.issue(nurse)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    page_199 = api.get("/api/v1/episodes", {"page_size": 25, "page": 199}).json()
    cursor_200 = page_199["next_cursor"]
    targets = {
        "worklist page (25 rows)": (web, "/episodes/", {}),
        "worklist page, stage filter": (web, "/episodes/", {"stage": "recover"}),
        "worklist page 200 (deep)": (web, "/episodes/", {"page": 200}),
        "API list page_size=25": (api, "/api/v1/episodes", {"page_size": 25}),
        "API list page_size=50": (api, "/api/v1/episodes", {"page_size": 50}),
        "API list page_size=50, page 100": (
            api,
            "/api/v1/episodes",
            {"page_size": 50, "page": 100},
        ),
        "API page 1 (25 rows)": (api, "/api/v1/episodes", {"page_size": 25}),
        "API page 200, OFFSET": (api, "/api/v1/episodes", {"page_size": 25, "page": 200}),
        # The cursor that page 199 hands out: keyset paging, no OFFSET.
        "API page 200, cursor": (api, "/api/v1/episodes", {"page_size": 25, "cursor": cursor_200}),
    }
    results: dict[str, object] = {"vendor": connection.vendor, "episodes": Episode.objects.count()}
    for name, (client, path, params) in targets.items():
        client.get(path, params)  # warm caches and the token stamp
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, params).status_code == 200
        query_count = len(queries.captured_queries)
        if os.environ.get("BENCH_SHOW_SQL"):
            for query in queries.captured_queries:
                print(f"{name}: {query['time']} {query['sql'][:300]}", file=sys.stderr)
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(path, params)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        results[name] = {
            "queries": query_count,
            "median_ms": round(percentile(timings, 0.5), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
        }
    return results


def run_backend(label: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, object]:
    command = [
        sys.executable,
        __file__,
        "--child",
        "--episodes",
        str(args.episodes),
        "--requests",
        str(args.requests),
    ]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.episodes, args.requests)))
        return
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    with tempfile.TemporaryDirectory() as data_dir:
        backends = {"SQLite": {**base, "ENDOSPINE_DATA_DIR": data_dir}}
        pg = subprocess.run(
            ["bash", str(ROOT / "scripts/postgres.sh")], capture_output=True, text=True
        )
        pg_url = pg.stdout.strip().rsplit("/", 1)[0] + "/endospine_bench"
        subprocess.run(
            [
                "psql",
                pg_url.rsplit("/", 1)[0] + "/postgres",
                "-qc",
                "DROP DATABASE IF EXISTS endospine_bench",
            ],
            check=False,
            capture_output=True,
        )
        subprocess.run(
            [
                "psql",
                pg_url.rsplit("/", 1)[0] + "/postgres",
                "-qc",
                "CREATE DATABASE endospine_bench",
            ],
            check=True,
            capture_output=True,
        )
        backends["PostgreSQL"] = {**base, "DATABASE_URL": pg_url, "ENDOSPINE_DATA_DIR": data_dir}
        print(f"{args.episodes} episodes at one site, {args.requests} requests per row, in-process")
        for label, env in backends.items():
            result = run_backend(label, env, args)
            print(f"\n{label} ({result.pop('vendor')}, {result.pop('episodes')} episodes)")
            print(f"  {'request':<34} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
            for name, figures in result.items():
                f = figures  # type: ignore[assignment]
                print(f"  {name:<34} {f['queries']:>7} {f['median_ms']:>10} {f['p95_ms']:>8}")
        subprocess.run(
            [
                "psql",
                pg_url.rsplit("/", 1)[0] + "/postgres",
                "-qc",
                "DROP DATABASE IF EXISTS endospine_bench",
            ],
            check=False,
            capture_output=True,
        )


if __name__ == "__main__":
    main()
