"""Production: refuses to start without a secret key; HTTPS-only cookies and HSTS."""

from sharedlives.env import env_bool, env_int, env_str, stop

from .base import *  # noqa: F403

SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    stop("SECRET_KEY", "must be set to a random value of at least 50 characters in production")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
STATIC_ROOT = env_str("STATIC_ROOT") or "/app/staticfiles"
