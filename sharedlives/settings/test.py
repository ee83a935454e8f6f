"""Tests: SQLite in memory unless DATABASE_URL is set (CI sets it to PostgreSQL)."""

from sharedlives.env import env_str

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-secret-key-not-for-any-real-deployment-0123456789"
DEBUG = False
if not env_str("DATABASE_URL"):
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "ATOMIC_REQUESTS": True,
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run jobs in-process; the live worker test switches this off for itself and talks to Redis.
CELERY_TASK_ALWAYS_EAGER = True
# Serve static files straight from the apps (no collectstatic before tests; the browser tests need them).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
# A page that repeats a query for each row of a list (an N+1) raises, failing the test that asked for it
# (django-zeal, in every request the tests make, browser tests included).
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, "zeal.middleware.zeal_middleware"]  # noqa: F405
ZEAL_RAISE = True
