"""Strict parsing of environment variables.

A malformed value stops start-up with one line that names the variable, never a traceback.
"""

import os
import sys

import dj_database_url

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def stop(name: str, problem: str) -> None:
    raise SystemExit(f"Configuration error: environment variable {name} {problem}")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    stop(name, f"must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        stop(name, f"must be a whole number, not {raw!r}")
    if value < minimum:
        stop(name, f"must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    raw = env_str(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as error:  # dj-database-url raises several kinds for a bad URL
        stop(name, f"is not a database URL this app understands ({error})")
    if config.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        stop(name, "must be a postgres:// or sqlite:/// URL")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles "expensive" plans first; for this app's short queries the compiling costs more
        # than it saves (measured: 66 ms of a 122 ms query over 10,000 households).
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


def env_url(name: str, schemes: tuple[str, ...]) -> str:
    raw = env_str(name)
    if raw and not raw.startswith(tuple(f"{s}://" for s in schemes)):
        stop(name, f"must start with {' or '.join(s + '://' for s in schemes)}, not {raw!r}")
    return raw


def is_running_tests() -> bool:
    return "pytest" in sys.modules
