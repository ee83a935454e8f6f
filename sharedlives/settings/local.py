"""Local development: `make run`. Embedded SQLite, jobs in-process, a secret key generated once and kept."""

import secrets

from sharedlives.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = env_bool("DEBUG", True)
# The demo's logins work with the password alone; `TWO_FACTOR_REQUIRED=1 make run` asks staff for a code as in
# production. Anyone may still turn it on for themselves on "Two-step sign-in".
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)


def _local_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _local_secret_key()
