"""Settings come from the environment, parsed strictly; production refuses to start unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sharedlives import env

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "x" * 60


def run_manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value", "parse"),
    [
        ("DEBUG", "maybe", lambda: env.env_bool("DEBUG", False)),
        ("EMAIL_PORT", "twenty", lambda: env.env_int("EMAIL_PORT", 587)),
        ("DATABASE_URL", "mysql://x", lambda: env.env_database("DATABASE_URL", "sqlite:///x")),
        ("REDIS_URL", "localhost:6379", lambda: env.env_url("REDIS_URL", ("redis",))),
    ],
)
def test_a_malformed_value_stops_with_one_line_naming_the_variable(monkeypatch, name, value, parse):
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stopped:
        parse()
    message = str(stopped.value)
    assert name in message
    assert "\n" not in message


def test_booleans_and_lists_parse(monkeypatch):
    monkeypatch.setenv("DEBUG", "Yes")
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,")
    assert env.env_bool("DEBUG", False) is True
    assert env.env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def test_start_up_with_a_bad_variable_prints_one_line_and_no_traceback():
    result = run_manage("check", DEBUG="perhaps")
    assert result.returncode == 1
    assert (
        result.stderr.strip() == "Configuration error: environment variable DEBUG must be true or false, not 'perhaps'"
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="sharedlives.settings.production")
    assert result.returncode == 1
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="sharedlives.settings.production",
        SECRET_KEY=GOOD_SECRET + "-Ab3$%kQ9zR!",
        ALLOWED_HOSTS="sharedlives.example",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_without_redis_jobs_run_in_process():
    from django.conf import settings

    assert settings.CELERY_TASK_ALWAYS_EAGER is True


def test_postgres_connections_turn_jit_off_and_sqlite_is_untouched(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app:secret@db.example:5432/sharedlives")
    config = env.env_database("DATABASE_URL", "sqlite:///x")
    assert config["OPTIONS"]["options"] == "-c jit=off"
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    assert "options" not in env.env_database("DATABASE_URL", "sqlite:///x").get("OPTIONS", {})
