"""Settings shared by every environment. Everything that varies comes from environment variables (README)."""

from pathlib import Path

from csp.constants import NONE, SELF
from django.contrib.messages import constants as message_constants

from sharedlives.env import env_bool, env_database, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SHAREDLIVES_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "bootstrap",
    "sharedlives",
    "schemes",
    "carers",
    "matching",
    "outcomes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "schemes.middleware.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "schemes.middleware.UserLanguageMiddleware",
    "schemes.middleware.TwoFactorMiddleware",
    "schemes.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "schemes.middleware.SchemeMiddleware",
    "schemes.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "sharedlives.urls"
WSGI_APPLICATION = "sharedlives.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schemes.context_processors.scheme",
            ],
            # {% url %} remembering each link's shape (schemes/links.py): a list asks it for every row.
            "builtins": ["schemes.templatetags.links"],
            # {% load i18n %}: Django's tags, with {% translate "…" %} remembering its words in each language. Django
            # warns of a label used for two modules (templates.W003): this one is on purpose, so silenced below;
            # tests/test_translate_tag.py fails for any other.
            "libraries": {"i18n": "schemes.templatetags.i18n_remembered"},
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sharedlives.sqlite3'}")}
ATOMIC_REQUESTS = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "schemes.User"
AUTHENTICATION_BACKENDS = ["schemes.lockout.LockoutBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switch (schemes.account_views.language_set) remembers the choice of someone not signed in in a cookie.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded evidence is private: kept outside the static root, served only through views that check permission.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Scripts and styles only from our own static files: no inline scripts, no CDN (SECURITY.md).
# Bootstrap draws a few icons (the menu button, form validation marks) as data: SVG images in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Django's database sessions, read by a query written once per process (schemes/sessions.py)
SESSION_ENGINE = "schemes.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 30 * 60  # idle timeout: schemes.middleware.IdleTimeoutMiddleware refreshes it once a minute
CSRF_COOKIE_HTTPONLY = True
# Staff, managers and panel members must sign in with a code from an authenticator app as well as the password
# (schemes/twofactor.py). Only `make run`'s demo turns this off, so that the demo logins work without a phone.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Shared Lives"  # the name authenticator apps show beside the code
OTP_TOTP_THROTTLE_FACTOR = 1  # after each wrong code, wait 1, 2, 4, 8... seconds before the next is checked
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

# Email: printed to the console unless EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Shared Lives <no-reply@sharedlives.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where emails' links point (jobs run outside any request, so they cannot ask one for its host).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))

# Cache (rate limits on public forms): Redis when configured, else in-process memory.
CACHES = {
    "default": (
        # Django's, keeping one Redis client instead of making one for each call (schemes/cache.py)
        {"BACKEND": "schemes.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Parts of pages that depend only on a few settled things (the menu: scheme, role, language), kept in each
    # process's memory: read without a trip to Redis, and gone when the process restarts (a deploy).
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
}

# Celery: with no REDIS_URL, jobs run in-process so nothing else is needed locally.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_IGNORE_RESULT = True
# Longer than any countdown or ETA the app uses (the longest retry backoff is one hour).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Form widgets are drawn with Jinja2 (schemes/renderers.py says why); pages stay in Django templates.
FORM_RENDERER = "schemes.renderers.WidgetRenderer"

# SQLite (the demo database of `make run`) has no covering indexes: there the one on carers' checks simply lacks its
# extra columns, which only the national-scale matching needs; PostgreSQL, in every deployment, has them.
SILENCED_SYSTEM_CHECKS = ["models.W040", "templates.W003"]  # W003: "i18n" is ours on purpose (TEMPLATES)
