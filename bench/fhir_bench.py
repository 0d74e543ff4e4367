"""FHIR API figures on PostgreSQL: bulk export speed and memory, search and referral p95.

    .venv/bin/python bench/fhir_bench.py [--episodes 10000] [--resources 100000] [--requests 60]

Builds one site with --episodes patients and episodes, and enough check-ins
(three Observations each) that a system export holds about --resources
resources. Then, in-process through Django's full request stack:
- the export's worker part (bulk.export_run), timed, with the peak resident
  memory above the starting point, once for Patient only and once for every type
  (flat memory means both peaks are alike however many rows are written);
- searchset pages of 50 entries (p50/p95 over --requests requests);
- referral transaction Bundles (p50/p95), each a new patient.
Targets: export >= 5,000 resources/s; search p95 < 30 ms; referral p95 < 100 ms.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.start_mb, self.peak_mb, self.done = rss_mb(), rss_mb(), threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak_mb = max(self.peak_mb, rss_mb())


def populate(episodes: int, resources: int) -> tuple[object, object]:
    from datetime import date, timedelta

    from django.utils import timezone

    from endospine.accounts.models import Role
    from endospine.journey.models import Episode, Patient, Stage
    from endospine.recover.models import Checkin
    from endospine.testing import make_site, make_staff

    site = make_site("bench", "Bench Site")
    nurse = make_staff("bench_nurse", Role.NURSE, site)
    patients = Patient.objects.bulk_create(
        Patient(site=site, mrn=f"B{i}", given_name=f"G{i}", family_name=f"F{i}",
                date_of_birth=date(1970, 1, 1) + timedelta(days=i % 9000))
        for i in range(episodes)
    )  # fmt: skip
    rows = Episode.objects.bulk_create(
        Episode(patient=p, site=site, title="L4-L5 disc", stage=Stage.RECOVER, nurse=nurse)
        for p in patients
    )
    checkins = max(0, (resources - 3 * episodes) // 3)
    now = timezone.now()
    answers = {"temperature_c": 37.1, "pain_back": 3, "pain_leg": 2}
    for start in range(0, checkins, 5000):
        Checkin.objects.bulk_create(
            Checkin(episode=rows[i % len(rows)], submitted_at=now - timedelta(minutes=i),
                    answers=answers, level="routine", ruleset_version="bench")
            for i in range(start, min(checkins, start + 5000))
        )  # fmt: skip
    return site, nurse


def export_figures(nurse: object, types: list[str]) -> dict[str, float]:
    from endospine.fhir import bulk
    from endospine.fhir.models import ExportJob, ExportStatus

    job = ExportJob.objects.create(
        user=nurse, types=types, status=ExportStatus.QUEUED,
        request_url="http://bench/fhir/R4/$export",
    )  # fmt: skip
    watcher = PeakRss()
    watcher.start()
    start = time.perf_counter()
    bulk.export_run(job.pk)
    seconds = time.perf_counter() - start
    watcher.done.set()
    count = sum(job.files.values_list("count", flat=True))
    return {
        "resources": count,
        "seconds": round(seconds, 2),
        "per_second": round(count / seconds),
        "peak_rss_above_start_mb": round(watcher.peak_mb - watcher.start_mb, 1),
    }


def timed(requests: int, call: object) -> dict[str, float]:
    call()  # type: ignore[operator]
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(percentile(timings, 0.5), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
    }


def child(args: argparse.Namespace) -> dict[str, object]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "endospine.settings")
    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection
    from django.test import Client

    from endospine.accounts.models import ApiToken
    from endospine.fhir.search import registry
    from endospine.fhir.tests.test_writes import referral

    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    site, nurse = populate(args.episodes, args.resources)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have done on a live database
    results: dict[str, object] = {"vendor": connection.vendor}
    results["export Patient only"] = export_figures(nurse, ["Patient"])
    results["export every type"] = export_figures(nurse, list(registry()))
    _, raw = ApiToken.issue(nurse, scope="user/*.cruds")  # type: ignore[arg-type]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    patient_id = nurse.nurse_episodes.first().patient_id  # type: ignore[attr-defined]
    for path in (
        "EpisodeOfCare?_count=50",
        "Patient?_count=50",
        "Observation?_count=50",
        f"Observation?patient={patient_id}&_count=50",
        "Observation?code=http://loinc.org|8310-5&date=ge2000-01-01&_count=50",
        "EpisodeOfCare?_count=50&_offset=5000",
    ):
        results[f"search {path}"] = timed(args.requests, lambda p=path: api.get(f"/fhir/R4/{p}"))
    counter = iter(range(10**6))

    def send() -> None:
        body = json.dumps(referral(site, mrn=f"R{next(counter)}"))
        response = api.post("/fhir/R4", body, content_type="application/fhir+json")
        assert response.status_code == 200, response.content

    results["referral transaction"] = timed(args.requests, send)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    pg = subprocess.run(["bash", str(ROOT / "scripts/postgres.sh")], capture_output=True, text=True)
    server = pg.stdout.strip().rsplit("/", 1)[0]
    for sql in (
        "DROP DATABASE IF EXISTS endospine_fhir_bench",
        "CREATE DATABASE endospine_fhir_bench",
    ):
        subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=False, capture_output=True)
    env = {**os.environ, "DATABASE_URL": f"{server}/endospine_fhir_bench"}
    env["ENDOSPINE_DATA_DIR"] = str(Path(os.environ.get("TMPDIR", "/tmp")) / "endospine-fhir-bench")
    command = [sys.executable, __file__, "--child", "--episodes", str(args.episodes),
               "--resources", str(args.resources), "--requests", str(args.requests)]  # fmt: skip
    try:
        output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    finally:
        subprocess.run(
            ["psql", f"{server}/postgres", "-qc", "DROP DATABASE IF EXISTS endospine_fhir_bench"],
            check=False, capture_output=True,
        )  # fmt: skip
    result = json.loads(output.strip().splitlines()[-1])
    print(f"PostgreSQL ({result.pop('vendor')}), {args.episodes} episodes, in-process")
    for name, figures in result.items():
        print(f"  {name:<70} {json.dumps(figures)}")


if __name__ == "__main__":
    main()
