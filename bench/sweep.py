"""Benchmark: the daily reminder sweep over national data (150 schemes, 10,000 households, ~15,000 arrangements,
~90,000 bookings, surveys). Run with `make bench`. Builds the data once (in DATABASE_URL, or under var/bench/), then
times the sweep twice: the first run sends what is due, the second finds nothing new (the everyday case), and
counts the queries of the busiest scheme. Not a test: it prints figures. Target: under 60 s.

With REDIS_URL set, each reminder's email is queued for the workers, as in a deployment (use a Redis database of its
own and empty it afterwards: nothing here sends them); without it, every email is also composed inside the sweep.
"""

import logging
import os
import statistics
import sys
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharedlives.settings.local")
os.environ.setdefault("DEBUG", "false")  # as deployed
os.environ.setdefault("SHAREDLIVES_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "bench"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from schemes import reminders  # noqa: E402
from schemes.models import ReminderSent, Scheme  # noqa: E402

TARGET_SECONDS = 60


def build() -> None:
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        if Scheme.objects.filter(slug__startswith="national-").count() < 150:
            call_command("seed_demo", "--scale", "national", stdout=open(os.devnull, "w"))  # noqa: SIM115


def sweep() -> tuple[float, list[int]]:
    """Every app's rules for every scheme, as the job does; the time, and each scheme's query count."""
    today, per_scheme = timezone.localdate(), []
    started = time.perf_counter()
    for scheme in Scheme.objects.filter(is_active=True).order_by("pk"):
        reset_queries()  # the query log keeps 9,000 entries: start each scheme's count afresh
        with scope(scheme=scheme), CaptureQueriesContext(connection) as queries:
            for _name, rule in reminders.rules():
                rule(scheme, today)
        per_scheme.append(len(queries))
    return time.perf_counter() - started, per_scheme


def main() -> int:
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # the emails are not what is timed
    logging.getLogger("celery").setLevel(logging.WARNING)  # in-process email jobs would log a line each
    warnings.filterwarnings("ignore", message="Limit for query logging exceeded")
    build()
    with scopes_disabled():
        before = ReminderSent.objects.count()
        first, first_queries = sweep()
        sent = ReminderSent.objects.count() - before
        second, quiet_queries = sweep()
        schemes = Scheme.objects.count()
    jobs = ("queued to Redis for the workers, as deployed" if not settings.CELERY_TASK_ALWAYS_EAGER
            else "run in-process, inside the sweep's time (set REDIS_URL to queue them as deployed)")  # fmt: skip
    print(f"reminder sweep over {schemes} schemes ({connection.vendor}); the reminders' email jobs {jobs}:")
    print(f"  first run {first:.1f} s, sending {sent:,} reminders (most queries in one scheme: {max(first_queries)})")
    median = statistics.median(quiet_queries)
    print(f"  next run {second:.1f} s with nothing new; queries per scheme: median {median:.0f}, "
          f"most {max(quiet_queries)}; target: under {TARGET_SECONDS} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
