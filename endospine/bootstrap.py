"""Preparing the data directory: what importing the settings must not do.

`endospine init` (and every other `endospine` command, before Django starts)
creates the data directory, its `static/` folder and, unless a key comes from
the environment, a secret key kept in `secret_key` (mode 600). Running it
again changes nothing. A WSGI server (gunicorn) does none of this: prepare
the data directory once with `endospine init` or `endospine migrate`.
"""

import os
import secrets
from pathlib import Path

KEY_FILE = "secret_key"


def read_generated_key(data_dir: Path) -> str:
    path = data_dir / KEY_FILE
    return path.read_text().strip() if path.is_file() else ""


def init(data_dir: Path, *, key_from_env: bool) -> list[Path]:
    """Create what is missing; return what was created."""
    created = []
    for folder in (data_dir, data_dir / "static"):
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            created.append(folder)
    key = data_dir / KEY_FILE
    if not key_from_env and not key.exists():
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
        created.append(key)
    return created


def init_from_environment() -> list[Path]:
    """`init` with the data dir and key source the settings would use."""
    from endospine.env import env_str

    data_dir = Path(env_str("ENDOSPINE_DATA_DIR", "./var")).resolve()
    return init(data_dir, key_from_env=bool(env_str("ENDOSPINE_SECRET_KEY")))
