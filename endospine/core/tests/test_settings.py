import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from endospine.env import env_bool, env_int


def test_malformed_values_stop_the_server(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    monkeypatch.setenv("X_INT", "ten")
    monkeypatch.setenv("X_SMALL", "0")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_SMALL", 5, minimum=1)


def _endospine(args, env):
    command = [sys.executable, "-m", "endospine", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ENDOSPINE_")},
        "ENDOSPINE_DATA_DIR": str(tmp_path),
        "ENDOSPINE_HTTPS": "true",
        "ENDOSPINE_ALLOWED_HOSTS": "spine.example.org",
        "ENDOSPINE_SECRET_KEY": "x" * 20 + "a-long-production-secret-with-variety-0123456789",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process
    result = _endospine(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_fresh_data_dir_gets_a_secret_key_kept_for_next_time(tmp_path):
    env = {**os.environ, "ENDOSPINE_DATA_DIR": str(tmp_path / "data")}
    env.pop("ENDOSPINE_SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    assert _endospine(["check"], env).returncode == 0
    key_file = tmp_path / "data" / "secret_key"
    first = key_file.read_text()
    assert len(first) > 50
    assert oct(key_file.stat().st_mode)[-3:] == "600"
    _endospine(["check"], env)
    assert key_file.read_text() == first


def test_sqlite_is_durable_and_queues_writers(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite settings only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "synchronous=FULL" in options["init_command"]


def test_debug_is_off_unless_asked(settings):
    from endospine import settings as shipped

    assert shipped.DEBUG is (
        os.environ.get("ENDOSPINE_DEBUG", "").lower() in {"1", "true", "yes", "on"}
    )


def test_postgresql_settings_work_behind_a_transaction_pooler(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ENDOSPINE_")},
        "ENDOSPINE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # never connected to
    }
    code = "from django.conf import settings; print(settings.DATABASES['default'])"
    result = _endospine(["shell", "-c", code], env)
    assert "'DISABLE_SERVER_SIDE_CURSORS': True" in result.stdout, result.stderr
    assert "prepare_threshold" not in result.stdout  # Django's default: no prepared statements
