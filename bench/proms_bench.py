"""Speed of PROM scoring, the progress chart, POST /api/v1/proms/score and the reminder sweep.

    .venv/bin/python bench/proms_bench.py [--calls 20000] [--timepoints 2000]

Scoring and chart rendering run in-process (pure code). The API and the
reminder sweep run against a throw-away SQLite database (or DATABASE_URL if
you set BENCH_DATABASE_URL). The sweep sends through Django's locmem e-mail
and the memory SMS backend, then runs twice more concurrently from threads
to show no reminder is sent twice. Prints medians and p95.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def report(name: str, samples: list[float], unit: str = "us") -> None:
    scale = 1e6 if unit == "us" else 1e3
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{name:<38} n={len(samples):>6}  median {statistics.median(samples) * scale:9.1f} {unit}"
        f"  p95 {p95 * scale:9.1f} {unit}"
    )


def pure(calls: int) -> None:
    from endospine.proms.progress import Point, build, render_svg
    from endospine.proms.scoring import ODI_SECTIONS, score

    odi = dict(zip(ODI_SECTIONS, [2, 2, 2, 2, 2, 2, 1, 1, 2, None], strict=True))
    report("score odi (9 sections)", timed(lambda: score("odi", odi), calls))
    report("score nrs_leg", timed(lambda: score("nrs_leg", {"pain": 7}), calls))
    points = [
        Point("baseline", "Before surgery", 0, 62.0),
        Point("week6", "6 weeks", 42, 30.0),
        Point("month3", "3 months", 91, 18.0),
        Point("month12", "12 months", 365, 10.0),
        Point("month24", "24 months", 730, None),
    ]

    def chart() -> None:
        render_svg(build("odi", points, mic_points=10, mic_percent=30), element_id="c")

    report("progress build + SVG (one measure)", timed(chart, calls // 10))


def setup_django() -> None:
    tmp = tempfile.mkdtemp(prefix="promsbench-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"
    )
    os.environ["ENDOSPINE_DATA_DIR"] = tmp
    os.environ["ENDOSPINE_RATE_LIMIT_PER_MINUTE"] = "100000000"
    os.environ["ENDOSPINE_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["ENDOSPINE_SMS_BACKEND"] = "endospine.core.sms.MemorySmsBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "endospine.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def api(calls: int) -> None:
    from django.test import Client

    from endospine.proms.scoring import ODI_SECTIONS

    client = Client()
    body = json.dumps({"instrument": "odi", "answers": dict.fromkeys(ODI_SECTIONS, 2)})

    def call() -> None:
        response = client.post("/api/v1/proms/score", body, content_type="application/json")
        assert response.status_code == 200, response.content

    report("POST /api/v1/proms/score (test client)", timed(call, calls // 20), unit="ms")


def sweep(count: int) -> None:
    from django.core import mail
    from django.db import connection

    from endospine.core import clock
    from endospine.core.sms import MemorySmsBackend
    from endospine.proms import services
    from endospine.proms.tasks import send_due_prom_reminders
    from endospine.testing import make_episode, make_patient, make_site

    site = make_site("bench", "Bench Clinic")
    surgery = clock.now().date() - timedelta(days=40)  # 6-week questionnaires are open
    for n in range(count):
        episode = make_episode(make_patient(f"bench{n}", site, password="x"))
        services.schedule_followup(episode=episode, surgery_date=surgery)
    mail.outbox = []
    start = time.perf_counter()
    first = send_due_prom_reminders(clock.now())
    elapsed = time.perf_counter() - start
    print(
        f"{'reminder sweep':<38} {first.sent} sent in {elapsed:.2f} s "
        f"({elapsed / max(first.sent, 1) * 1e3:.2f} ms each incl. e-mail + SMS)"
    )
    # Reset the counts and race three sweeps: each reminder must go exactly once.
    from endospine.proms.models import Timepoint

    Timepoint.objects.update(reminders_sent=0)
    mail.outbox, MemorySmsBackend.outbox[:] = [], []
    results = []

    def run() -> None:
        results.append(send_due_prom_reminders(clock.now()).sent)
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        f"{'3 concurrent sweeps':<38} sent {sum(results)} (per sweep {results}); "
        f"e-mails {len(mail.outbox)}, SMS {len(MemorySmsBackend.outbox)}, due {count}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--timepoints", type=int, default=2000)
    args = parser.parse_args()
    pure(args.calls)
    setup_django()
    api(args.calls)
    sweep(args.timepoints)


if __name__ == "__main__":
    main()
