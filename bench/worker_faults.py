"""Fault test of the reminder worker: kill -9 it again and again; nothing lost, nothing twice.

    .venv/bin/python bench/worker_faults.py [--episodes 300] [--kills 10] [--send-ms 20]

On loopback, in a throw-away PostgreSQL database (default es_faults):
1. creates --episodes patients in recovery whose day-1 check-in is due now
   (so each needs an email and an SMS reminder);
2. runs `endospine worker` and kills it with SIGKILL at random moments
   (--kills times), restarting it each time; every delivery is slowed by
   --send-ms so kills land between claim and send;
3. then lets one worker run until every outbox row is sent (a killed sender's
   lease expires after outbox.LEASE, 2 minutes, so this phase takes a while);
4. counts deliveries recorded by the file backends below against the rows:
   missing = rows never delivered, duplicates = rows delivered more than once.

The email and SMS backends used by the worker are the two classes in this
file (the worker imports this module through PYTHONPATH=bench).
"""

import argparse
import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432"
LOG = Path(os.environ.get("ES_FAULTS_LOG", "/tmp/es_faults_deliveries.log"))


def _append(line: str) -> None:
    time.sleep(float(os.environ.get("ES_FAULTS_SEND_MS", "20")) / 1000)
    with LOG.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


class FileEmailBackend:
    """Django e-mail backend that records each delivery's Message-ID (the outbox row id)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        for message in messages:
            _append("email " + message.extra_headers["Message-ID"].strip("<>").split("@")[0])
        return len(messages)


class FileSmsBackend:
    def send(self, to: str, body: str) -> None:
        # The SMS body carries no id: each patient has a unique phone, which names the row.
        _append(f"sms {to}")


def env_for(db: str, send_ms: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"{PG}/{db}", "DJANGO_SETTINGS_MODULE": "endospine.settings",
        "ENDOSPINE_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT / "bench"),
        "ENDOSPINE_EMAIL_BACKEND": "worker_faults.FileEmailBackend",
        "ENDOSPINE_SMS_BACKEND": "worker_faults.FileSmsBackend",
        "ES_FAULTS_SEND_MS": str(send_ms), "ES_FAULTS_LOG": str(LOG),
    })  # fmt: skip
    return env


def prepare(db: str, episodes: int, send_ms: int) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')
    env = env_for(db, send_ms)
    subprocess.run([str(VENV / "endospine"), "migrate", "-v", "0"], env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import date

    from endospine.core import clock
    from endospine.journey.models import Episode, Patient, Stage
    from endospine.recover.services import start_recovery
    from endospine.testing import make_site

    site = make_site("faults", "Fault Test Clinic", settings={"checkin_days": [1]})
    for i in range(episodes):
        # A unique phone per patient lets the SMS log be matched to its row.
        patient = Patient.objects.create(
            site=site,
            mrn=f"F{i}",
            given_name="F",
            family_name="P",
            date_of_birth=date(1970, 1, 1),
            email=f"f{i}@example.invalid",
            phone=f"+1555{i:07d}",
        )
        episode = Episode.objects.create(
            patient=patient, site=site, title="disc", stage=Stage.RECOVER
        )
        start_recovery(
            episode=episode, discharged_at=clock.now() - timedelta(days=1, minutes=1), actor=None
        )


def start_worker(db: str, send_ms: int) -> subprocess.Popen[bytes]:
    cmd = [str(VENV / "endospine"), "worker", "--sweep-every", "1", "--interval", "0.2"]
    return subprocess.Popen(
        cmd,
        env=env_for(db, send_ms),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def pending(expected_rows: int) -> int:
    """Messages not yet sent, counting those the sweep has not queued yet."""
    from django.db import connection

    from endospine.recover.models import Notification

    connection.close()
    sent = Notification.objects.filter(sent_at__isnull=False).count()
    return max(expected_rows - sent, Notification.objects.filter(sent_at__isnull=True).count())


def tally(expected_rows: int) -> None:
    from endospine.recover.models import Notification

    lines = LOG.read_text().splitlines() if LOG.exists() else []
    emails = Counter(line.split()[1] for line in lines if line.startswith("email "))
    sms = Counter(line.split()[1] for line in lines if line.startswith("sms "))
    rows = Notification.objects.values_list("id", "channel", "to")
    missing = sum(
        1
        for pk, ch, to in rows
        if (emails if ch == "email" else sms).get(str(pk) if ch == "email" else to, 0) == 0
    )
    twice = sum(n - 1 for n in emails.values() if n > 1) + sum(n - 1 for n in sms.values() if n > 1)
    attempts = Counter(Notification.objects.values_list("attempts", flat=True))
    print(
        f"outbox rows {len(rows)} (expected {expected_rows}); deliveries {len(lines)}; "
        f"missing {missing}; sent twice {twice}; claims per row {dict(sorted(attempts.items()))}"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", default="es_faults")
    p.add_argument("--episodes", type=int, default=300)
    p.add_argument("--kills", type=int, default=10)
    p.add_argument("--send-ms", type=int, default=20)
    p.add_argument("--timeout", type=int, default=600)
    args = p.parse_args()
    LOG.unlink(missing_ok=True)
    prepare(args.db, args.episodes, args.send_ms)
    rng = random.Random(11)
    expected = args.episodes * 2  # one e-mail and one SMS reminder each
    began = time.perf_counter()
    for _ in range(args.kills):
        worker = start_worker(args.db, args.send_ms)
        time.sleep(rng.uniform(2.0, 5.0))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    elapsed = time.perf_counter() - began
    print(f"{args.kills} kills in {elapsed:.0f} s; pending then: {pending(expected)}")
    worker = start_worker(args.db, args.send_ms)
    try:
        deadline = time.time() + args.timeout
        while pending(expected) and time.time() < deadline:
            time.sleep(5)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    elapsed = time.perf_counter() - began
    print(f"finished after {elapsed:.0f} s; pending {pending(expected)}")
    tally(expected)


if __name__ == "__main__":
    main()
