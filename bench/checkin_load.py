"""Load test of POST /api/v1/episodes/{id}/checkins against `endospine serve` + PostgreSQL.

    .venv/bin/python bench/checkin_load.py [--total 10000] [--clients 50]
        [--server serve|gunicorn|gunicorn-sync] [--workers 0] [--threads 4]
        [--pg-restart] [--think-ms 0] [--runs 1]

--server serve (default) runs `endospine serve` (granian); gunicorn (gthread) and
gunicorn-sync exist only to compare servers (docs/deploy.md). --workers 0 keeps
the server's own default (one per core).

What it does, on loopback only, in a throw-away database (default es_load,
dropped and re-created):
1. migrates, creates one site, --episodes patients in recovery, one API token each;
2. starts the server and runs --clients concurrent clients that send --total
   check-ins, each with its own Idempotency-Key; a client retries the same
   request with the same key after a network error or a 5xx/503 (with --pg-restart,
   PostgreSQL is restarted half-way through);
3. replays every request with the same keys (the "retry storm");
4. counts rows against accepted responses: lost = accepted ids missing from the
   table, duplicated = rows beyond one per key, alerts against non-routine rows.
Prints throughput and latency (median, p95, p99) for both phases, and the
server's CPU time (all its processes, user + system) per check-in of phase 1.
With --runs N, phases 1 and 2 run N times on fresh keys and the medians are printed.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", default="es_load")
    p.add_argument("--total", type=int, default=10_000)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--episodes", type=int, default=1000)
    p.add_argument(
        "--server", default="serve", help="serve, gunicorn, gunicorn-sync, or a comma list "
        "(compared run by run, interleaved, so they share the machine's noise)",
    )  # fmt: skip
    p.add_argument("--workers", type=int, default=0, help="0: the server's default")
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--port", type=int, default=8791)
    p.add_argument("--think-ms", type=int, default=0, help="pause between a client's requests")
    p.add_argument("--pg-restart", action="store_true", help="restart PostgreSQL mid-run")
    return p.parse_args()


def env_for(db: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"{PG}/{db}", "DJANGO_SETTINGS_MODULE": "endospine.settings",
        "ENDOSPINE_LOG_LEVEL": "WARNING", "ENDOSPINE_DEBUG": "false",
        "ENDOSPINE_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    })  # fmt: skip
    return env


def fresh_database(db: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')
    subprocess.run([str(VENV / "endospine"), "migrate", "-v", "0"], env=env_for(db), check=True)


def setup_django(db: str) -> None:
    os.environ.update(env_for(db))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_population(n: int) -> list[tuple[str, str]]:
    """(episode id, bearer token) for n patients in recovery, built in bulk."""
    from datetime import date

    from endospine.accounts.models import ApiToken, Role, User
    from endospine.core import clock
    from endospine.journey.models import Episode, Patient, Stage
    from endospine.recover.services import start_recovery
    from endospine.testing import make_site

    site = make_site("load", "Load Test Clinic")
    users = User.objects.bulk_create(
        [User(username=f"load{i}", role=Role.PATIENT, password="!") for i in range(n)]
    )
    patients = Patient.objects.bulk_create([
        Patient(user=u, site=site, mrn=f"L{i}", given_name="Load", family_name=f"P{i}",
                date_of_birth=date(1970, 1, 1))
        for i, u in enumerate(users)
    ])  # fmt: skip
    episodes = Episode.objects.bulk_create([
        Episode(patient=p, site=site, title="L5-S1 disc", stage=Stage.RECOVER,
                surgery_date=date.today() - timedelta(days=1))
        for p in patients
    ])  # fmt: skip
    out = []
    for user, episode in zip(users, episodes, strict=True):
        start_recovery(episode=episode, discharged_at=clock.now() - timedelta(hours=23), actor=None)
        _, raw = ApiToken.issue(user, "load")
        out.append((str(episode.pk), raw))
    return out


def answers(rng: random.Random) -> dict[str, Any]:
    roll = rng.random()
    body: dict[str, Any] = {
        "pain_back": rng.randint(0, 6),
        "pain_leg": rng.randint(0, 6),
        "pain_trend": rng.choice(["better", "same"]),
        "pain_controlled": True,
        "temperature_c": round(rng.uniform(36.2, 37.6), 1),
    }
    if roll < 0.02:
        body["saddle_numbness"] = True
    elif roll < 0.12:
        body["wound_drainage"] = "cloudy"
    if rng.random() < 0.3:
        body["free_text"] = rng.choice(
            [
                "feeling better today",
                "no fever, a bit sore",
                "walked to the shop",
                "can't sleep well",
            ]
        )
    return body


class Client:
    """One keep-alive connection; sends a request until it gets a definite answer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, float]:
        for attempt in range(60):
            start = time.perf_counter()
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request("POST", path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                elapsed = time.perf_counter() - start
                if response.status >= 500:
                    RETRIES.add(f"HTTP {response.status}")
                    time.sleep(min(2.0, 0.1 * (attempt + 1)))
                    continue
                return response.status, data, elapsed
            except (OSError, http.client.HTTPException) as exc:
                RETRIES.add(type(exc).__name__)
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                time.sleep(min(2.0, 0.1 * (attempt + 1)))
        return 0, b"", 0.0


class Counter:
    def __init__(self) -> None:
        self.value = 0
        self.reasons: dict[str, int] = {}
        self.lock = threading.Lock()

    def add(self, reason: str) -> None:
        with self.lock:
            self.value += 1
            self.reasons[reason] = self.reasons.get(reason, 0) + 1


RETRIES = Counter()


def run_phase(
    requests: list[tuple[str, str, str, bytes]], clients: int, port: int, think: float
) -> list[tuple[str, int, str, float]]:
    """Send every request once (with retries); returns (key, status, id, seconds)."""
    chunks = [requests[i::clients] for i in range(clients)]

    def client_loop(chunk: list[tuple[str, str, str, bytes]]) -> list[tuple[str, int, str, float]]:
        client, out = Client(port), []
        for key, path, token, body in chunk:
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": key,
            }
            status, data, elapsed = client.post(path, body, headers)
            checkin_id = json.loads(data)["id"] if status in (200, 201) else ""
            out.append((key, status, checkin_id, elapsed))
            if think:
                time.sleep(think)
        return out

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return [row for rows in pool.map(client_loop, chunks) for row in rows]


def report(
    label: str, rows: list[tuple[str, int, str, float]], seconds: float
) -> tuple[float, float]:
    """Print a phase's figures; returns (requests per second, p95 ms)."""
    times = sorted(r[3] * 1000 for r in rows if r[1] in (200, 201))
    statuses: dict[int, int] = {}
    for r in rows:
        statuses[r[1]] = statuses.get(r[1], 0) + 1
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")  # noqa: E731
    print(
        f"{label}: {len(rows)} requests in {seconds:.1f} s ({len(rows) / seconds:.0f}/s); "
        f"statuses {dict(sorted(statuses.items()))}; latency ms median "
        f"{statistics.median(times) if times else float('nan'):.0f} p95 {p(0.95):.0f} "
        f"p99 {p(0.99):.0f}"
    )
    return len(rows) / seconds, p(0.95)


def restart_postgres_later(delay: float) -> threading.Thread:
    def restart() -> None:
        time.sleep(delay)
        version = os.listdir("/etc/postgresql")[0]
        began = time.perf_counter()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
        )
        print(f"PostgreSQL restarted at t={delay:.0f}s (took {time.perf_counter() - began:.1f} s)")

    thread = threading.Thread(target=restart)
    thread.start()
    return thread


def server_command(args: argparse.Namespace, server: str) -> list[str]:
    bind = f"127.0.0.1:{args.port}"
    cores = os.cpu_count() or 1
    # sync workers serve one request each: two per core, as gunicorn advises
    workers = args.workers or (2 * cores if server == "gunicorn-sync" else cores)
    if server == "serve":
        cmd = [str(VENV / "endospine"), "serve", "--host", "127.0.0.1", "--port", str(args.port)]
        cmd += ["--threads", str(args.threads)]
        return cmd + (["--workers", str(args.workers)] if args.workers else [])
    gunicorn = [str(VENV / "gunicorn"), "endospine.wsgi", "-b", bind, "-w", str(workers)]
    gunicorn += ["--backlog", "2048", "--log-level", "warning", "--timeout", "60"]
    if server == "gunicorn-sync":
        return [*gunicorn, "-k", "sync"]
    if server != "gunicorn":
        raise SystemExit(f"unknown server {server}")
    # clients pause between check-ins: keep their connection open
    return [*gunicorn, "-k", "gthread", "--threads", str(args.threads), "--keep-alive", "30"]


def start_server(args: argparse.Namespace, name: str) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(server_command(args, name), env=env_for(args.db), cwd=ROOT)
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"{name} did not start")


def postgres_cpu_seconds() -> float:
    """User + system CPU seconds of every PostgreSQL process on this machine."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def wal_bytes(db: str) -> int:
    import psycopg

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        row = conn.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").fetchone()
    return int(row[0]) if row else 0


def storage_per_row(db: str) -> None:
    """On-disk bytes (table + indexes + TOAST) per row of the tables a check-in writes."""
    import psycopg

    tables = ["recover_checkin", "audit_auditevent", "recover_alert", "recover_notification"]
    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        parts = []
        for table in tables:
            size, rows = conn.execute(
                f"SELECT pg_total_relation_size('{table}'), count(*) FROM {table}"
            ).fetchone() or (0, 0)
            parts.append(f"{table} {size / max(rows, 1):.0f} B/row ({rows} rows)")
    print("storage: " + "; ".join(parts))


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def verify(accepted: dict[str, str]) -> None:
    from django.db import connection
    from django.db.models import Count

    from endospine.recover.models import Alert, Checkin

    connection.close()  # the server may have restarted under us
    rows = Checkin.objects.filter(idempotency_key__in=list(accepted))
    stored = dict(rows.values_list("idempotency_key", "id"))
    lost = [k for k, i in accepted.items() if str(stored.get(k, "")) != i]
    dup_keys = (
        Checkin.objects.values("episode_id", "idempotency_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    alerting = rows.exclude(level="routine").count()
    alerts = Alert.objects.filter(checkin__in=rows).count()
    print(
        f"accepted {len(accepted)}; rows {len(stored)}; lost {len(lost)}; "
        f"duplicated keys {dup_keys}; alerts {alerts} for {alerting} non-routine check-ins"
    )


def one_run(
    args: argparse.Namespace,
    population: list[tuple[str, str]],
    seed: int,
    server: subprocess.Popen[bytes],
) -> tuple[float, float, float]:
    """Phases 1 and 2 on fresh keys; returns (check-ins/s, p95 ms, server CPU ms per check-in)."""
    rng = random.Random(seed)
    requests = []
    for i in range(args.total):
        episode_id, token = population[i % len(population)]
        body = json.dumps(answers(rng)).encode()
        requests.append((uuid.uuid4().hex, f"/api/v1/episodes/{episode_id}/checkins", token, body))
    restarter = restart_postgres_later(8.0) if args.pg_restart else None
    retries_before, cpu_before = RETRIES.value, tree_cpu_seconds(server.pid)
    pg_before, wal_before = postgres_cpu_seconds(), wal_bytes(args.db)
    began = time.perf_counter()
    first = run_phase(requests, args.clients, args.port, args.think_ms / 1000)
    rate, p95 = report("phase 1 (new check-ins)", first, time.perf_counter() - began)
    cpu_ms = (tree_cpu_seconds(server.pid) - cpu_before) * 1000 / len(first)
    pg_ms = (postgres_cpu_seconds() - pg_before) * 1000 / len(first)
    wal = (wal_bytes(args.db) - wal_before) / len(first)
    print(
        f"per check-in: server CPU {cpu_ms:.2f} ms (all server processes, user+system); "
        f"PostgreSQL CPU {pg_ms:.2f} ms; WAL {wal / 1024:.1f} KiB"
    )
    if restarter:
        restarter.join()
    retries_first = RETRIES.value - retries_before
    began = time.perf_counter()
    again = run_phase(requests, args.clients, args.port, args.think_ms / 1000)
    report("phase 2 (same keys again)", again, time.perf_counter() - began)
    accepted = {k: i for k, s, i, _ in first if s in (200, 201)}
    replay_same = sum(1 for (k, s, i, _) in again if s == 200 and accepted.get(k) == i)
    print(
        f"client retries after errors: phase 1 {retries_first}, "
        f"phase 2 {RETRIES.value - retries_before - retries_first}"
    )
    print(f"replays answered 200 with the same id: {replay_same}/{len(again)}")
    verify(accepted)
    return rate, p95, cpu_ms


def main() -> None:
    args = parse_args()
    fresh_database(args.db)
    setup_django(args.db)
    population = make_population(args.episodes)
    servers = args.server.split(",")
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in servers}
    for run in range(args.runs):
        for name in servers:
            server = start_server(args, name)
            command = " ".join(server_command(args, name)[1:])
            print(f"-- run {run + 1}/{args.runs}: {command}; {args.clients} clients", flush=True)
            try:
                results[name].append(one_run(args, population, 7 + run, server))
            finally:
                server.terminate()
                server.wait(timeout=60)
    print(f"retry causes: {RETRIES.reasons}")
    storage_per_row(args.db)
    for name, rows in results.items():
        rates, p95s, cpus = zip(*rows, strict=True)
        print(
            f"{name}: medians of {len(rows)} runs: {statistics.median(rates):.0f} check-ins/s, "
            f"p95 {statistics.median(p95s):.0f} ms, server CPU {statistics.median(cpus):.2f} ms "
            f"per check-in"
        )


if __name__ == "__main__":
    main()
