"""Backup and restore of the whole database, consistent while the server writes.

- SQLite: the online backup API copies a consistent snapshot page by page
  while the server keeps reading and writing (WAL mode); every transaction
  committed before the copy started is in it.
- PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot) and
  `pg_restore --clean --if-exists` (the client tools must be installed).

The backup holds patient data: store it encrypted, with the same access
rules as the database (docs/operations.md).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any


class BackupError(Exception):
    pass


def _pg_url(db: dict[str, Any]) -> str:
    user = db.get("USER") or ""
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    return f"postgresql://{user}@{host}:{port}/{db['NAME']}"


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # not on the command line, where ps shows it
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not installed (PostgreSQL client tools)")
    done = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603 (our own arguments)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[:500]}")


def backup(db: dict[str, Any], target: Path) -> None:
    """Write a consistent copy of the database to `target` (replaced if present)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if db["ENGINE"].endswith("sqlite3"):
        source = sqlite3.connect(db["NAME"], timeout=20)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # all pages in one step: one snapshot
        finally:
            copy.close()
            source.close()
    elif db["ENGINE"].endswith("postgresql"):
        _run(["pg_dump", "--format=custom", f"--file={partial}", _pg_url(db)], _pg_env(db))
    else:
        raise BackupError(f"no backup for {db['ENGINE']}")
    partial.chmod(0o600)
    partial.replace(target)  # a half-written backup never carries the final name


def restore(db: dict[str, Any], source: Path) -> None:
    """Replace the database's contents with a backup made by `backup`."""
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    if db["ENGINE"].endswith("sqlite3"):
        target = Path(db["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(target, timeout=20)
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif db["ENGINE"].endswith("postgresql"):
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={_pg_url(db)}",
                str(source),
            ],
            _pg_env(db),
        )
    else:
        raise BackupError(f"no restore for {db['ENGINE']}")
