"""Two `endospine serve` processes and one worker on one database (docs/deploy.md).

What a load balancer in front of several app hosts does, on loopback: check-ins
go to either process, every retry goes to the *other* one, and the worker
sends reminders and alert e-mails. Nothing may be lost or doubled:
- every accepted check-in is stored once; a retry on the other process
  answers the same check-in;
- every alert and every reminder is sent exactly once.

Runs on the database of the session: PostgreSQL when DATABASE_URL is set (a
throw-away database beside the test one), else an SQLite file in a temporary
directory. The servers and the worker are real processes, so the data they
share must be committed: this test builds its own database instead of using
pytest-django's (which lives in a rolled-back transaction).
"""

import http.client
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from endospine.core.management.commands.serve import port_is_free

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# Two free ports of this project's range. `endospine serve` refuses a busy
# port (granian's SO_REUSEPORT would otherwise share it with whatever holds it).
PORTS = tuple(p for p in range(8172, 8180) if port_is_free("127.0.0.1", p))[:2]
CHECKIN_EPISODES, CHECKINS_EACH, REMINDER_EPISODES = 6, 4, 5
pytestmark = pytest.mark.processes

POPULATE = """
import json
from datetime import timedelta
from endospine.accounts.models import ApiToken, Role
from endospine.core import clock
from endospine.journey.models import Stage
from endospine.recover.services import start_recovery
from endospine.testing import make_episode, make_patient, make_site, make_staff

site = make_site("multi", "Multi-host Clinic")
nurse = make_staff("multi_nurse", Role.NURSE, site)
nurse.email = "nurse@multi.invalid"
nurse.save()
out = {"checkin": [], "reminder": 0}
for i in range(%(checkin)d + %(reminder)d):
    patient = make_patient(f"multi{i}", site)
    episode = make_episode(patient, stage=Stage.RECOVER, nurse=nurse)
    reminding = i >= %(checkin)d
    # Check-in patients: day 1 falls due within the hour (no reminder yet);
    # reminder patients: day 1 fell due an hour ago and they never answer.
    hours = 25 if reminding else 23
    start_recovery(episode=episode, discharged_at=clock.now() - timedelta(hours=hours), actor=None)
    if reminding:
        out["reminder"] += 1
    else:
        out["checkin"].append([str(episode.pk), ApiToken.issue(patient.user)[1]])
print("RESULT" + json.dumps(out))
"""

COUNT = """
import json
from django.db.models import Count
from endospine.recover.models import Alert, Checkin, Notification
dups = Checkin.objects.values("episode_id", "idempotency_key").annotate(n=Count("id"))
dups = dups.filter(n__gt=1)
print("RESULT" + json.dumps({
    "checkins": {str(k): str(i) for k, i in Checkin.objects.values_list("idempotency_key", "id")},
    "duplicated": dups.count(),
    "non_routine": Checkin.objects.exclude(level="routine").count(),
    "alerts": Alert.objects.count(),
    "unsent": Notification.objects.filter(sent_at__isnull=True).count(),
    "by_kind": {k: n for k, n in Notification.objects.values_list("kind").annotate(n=Count("id"))},
}))
"""


def _environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "endospine.settings", "ENDOSPINE_DATA_DIR": str(tmp_path),
        "ENDOSPINE_LOG_LEVEL": "WARNING", "ENDOSPINE_STAFF_REQUIRE_2FA": "false",
        "PYTHONUNBUFFERED": "1",
    })  # fmt: skip
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield env
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    name = f"{name}_multi"[:60]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{base}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    yield from _environment(tmp_path)


def _django(env: dict[str, str], code: str) -> Any:
    done = subprocess.run(
        [str(BIN / "python"), "-c", f"import django; django.setup()\n{code}"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.split("RESULT", 1)[1])


def _wait_healthy(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        assert process.poll() is None, f"server on {port} exited"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200 and process.poll() is None:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server on {port} did not answer")


def _post(port: int, episode_id: str, token: str, key: str, body: dict[str, Any]) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST", f"/api/v1/episodes/{episode_id}/checkins", body=json.dumps(body),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                 "Content-Type": "application/json"},
    )  # fmt: skip
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def _drive(episodes: list[list[str]]) -> list[tuple[str, int, str, int, str]]:
    """Each check-in to one process, then its retry to the other: (key, status, id, ...)."""

    def one_patient(index: int) -> list[tuple[str, int, str, int, str]]:
        episode_id, token = episodes[index]
        rows = []
        for n in range(CHECKINS_EACH):
            key, first = uuid.uuid4().hex, PORTS[(index + n) % 2]
            body = {"pain_back": 3, "pain_leg": 2, "temperature_c": 36.9}
            if n == 1:
                body["saddle_numbness"] = True  # an emergency: an alert, one e-mail
            status, answer = _post(first, episode_id, token, key, body)
            again, replay = _post(PORTS[(index + n + 1) % 2], episode_id, token, key, body)
            rows.append((key, status, answer.get("id", ""), again, replay.get("id", "")))
        return rows

    with ThreadPoolExecutor(max_workers=len(episodes)) as pool:
        return [row for rows in pool.map(one_patient, range(len(episodes))) for row in rows]


def test_two_servers_and_a_worker_lose_and_double_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    subprocess.run([str(BIN / "endospine"), "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    population = _django(
        env, POPULATE % {"checkin": CHECKIN_EPISODES, "reminder": REMINDER_EPISODES}
    )
    logs, processes = tmp_path / "worker.log", []
    try:
        for port in PORTS:
            command = ["serve", "--port", str(port), "--workers", "1", "--threads", "2"]
            processes.append(
                subprocess.Popen([str(BIN / "endospine"), *command], env=env, cwd=ROOT)
            )
        with logs.open("w") as out:
            worker = subprocess.Popen(
                [str(BIN / "endospine"), "worker", "--sweep-every", "0.5"],
                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
            processes.append(worker)
        for port, process in zip(PORTS, processes, strict=False):
            _wait_healthy(port, process)
        rows = _drive(population["checkin"])
        for _ in range(120):  # the worker sends what the check-ins and the sweep queued
            counts = _django(env, COUNT)
            if counts["unsent"] == 0 and counts["by_kind"].get("reminder"):
                break
            time.sleep(0.5)
    finally:
        for process in processes:
            process.terminate()  # graceful: SIGTERM
        for process in processes:
            process.wait(timeout=60)
    total = CHECKIN_EPISODES * CHECKINS_EACH
    assert all(status == 201 and again == 200 for _, status, _, again, _ in rows), rows
    assert all(first_id == replay_id for _, _, first_id, _, replay_id in rows)
    stored = counts["checkins"]
    assert len(stored) == total and counts["duplicated"] == 0
    assert all(stored[key] == checkin_id for key, _, checkin_id, _, _ in rows)  # 0 lost
    assert counts["alerts"] == counts["non_routine"] == CHECKIN_EPISODES
    # e-mail + SMS per due reminder, one e-mail per alert: each queued once, all sent.
    assert counts["by_kind"] == {"reminder": 2 * REMINDER_EPISODES, "alert": CHECKIN_EPISODES}
    assert counts["unsent"] == 0
    sent = logs.read_text()
    message_ids = re.findall(r"^Message-ID: <([0-9a-f-]+)@endospine>", sent, re.MULTILINE)
    assert len(message_ids) == len(set(message_ids)) == REMINDER_EPISODES + CHECKIN_EPISODES
    assert sent.count("SMS to ") == REMINDER_EPISODES
