"""Issue 9: settings only read; secrets from files; every variable documented."""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRINT = "import endospine.settings as s; print(s.SECRET_KEY); print(s.DATABASES['default']['NAME'])"


def _run(args, env_extra, **kwargs):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENDOSPINE_", "DATABASE_URL"))}
    env.update(env_extra)
    return subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, **kwargs
    )


def test_importing_the_settings_creates_nothing(tmp_path):
    data = tmp_path / "not-yet"
    result = _run([sys.executable, "-c", PRINT], {"ENDOSPINE_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert not data.exists()
    assert result.stdout.splitlines()[0] == ""  # no key yet: Django refuses to start


def test_endospine_init_prepares_the_data_dir_once(tmp_path):
    data = tmp_path / "var"
    first = _run([sys.executable, "-m", "endospine.cli", "init"], {"ENDOSPINE_DATA_DIR": str(data)})
    assert first.returncode == 0, first.stderr
    key = data / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text()) > 50
    before = key.read_text()
    _run([sys.executable, "-m", "endospine.cli", "init"], {"ENDOSPINE_DATA_DIR": str(data)})
    assert key.read_text() == before
    shown = _run([sys.executable, "-c", PRINT], {"ENDOSPINE_DATA_DIR": str(data)})
    assert shown.stdout.splitlines()[0] == before


def test_secrets_can_come_from_files(tmp_path):
    (tmp_path / "key").write_text("k" * 60 + "\n")
    (tmp_path / "db").write_text("postgres://u:p@db.example:5432/spine\n")
    env = {
        "ENDOSPINE_DATA_DIR": str(tmp_path / "var"),
        "ENDOSPINE_SECRET_KEY_FILE": str(tmp_path / "key"),
        "DATABASE_URL_FILE": str(tmp_path / "db"),
    }
    result = _run([sys.executable, "-c", PRINT], env)
    assert result.stdout.splitlines() == ["k" * 60, "spine"], result.stderr
    both = _run([sys.executable, "-c", PRINT], {**env, "ENDOSPINE_SECRET_KEY": "x" * 60})
    assert "not both" in both.stderr


_READ = re.compile(
    r"""env_(?:str|bool|int|float|list)\(\s*"([A-Z0-9_]+)"|os\.environ(?:\.get)?[\[(]"([A-Z0-9_]+)\""""
)


def _read_by_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "endospine").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for match in _READ.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return names - {"DJANGO_SETTINGS_MODULE"}


def _documented() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z0-9_]+)`", section, flags=re.M))


def test_every_variable_the_code_reads_is_in_the_readme_table_and_no_other():
    from endospine import env

    read = _read_by_code() | env.READ
    documented = _documented()
    assert read - documented == set(), "read by the code but not in README's table"
    assert documented - read == set(), "in README's table but read nowhere"


def test_postgresql_settings_work_behind_a_transaction_pooler(tmp_path):
    env = {
        "ENDOSPINE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # never connected to
    }
    code = "import endospine.settings as s; print(s.DATABASES['default'])"
    result = _run([sys.executable, "-c", code], env)
    assert "'DISABLE_SERVER_SIDE_CURSORS': True" in result.stdout, result.stderr
    assert "prepare_threshold" not in result.stdout  # Django's default: no prepared statements
