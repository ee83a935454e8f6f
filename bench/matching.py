"""Benchmark: rank a pool of 10,000 carer households for one person with suggest_carers.

Run with `make bench`. Builds (once) a scheme holding 10,000 households in its own database under var/bench/
(or DATABASE_URL), then times repeated rankings and counts queries. Not a test: it prints figures.
"""

import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharedlives.settings.local")
os.environ.setdefault("DEBUG", "false")  # as deployed
os.environ.setdefault("SHAREDLIVES_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "bench"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from carers.demo import seed_national_households  # noqa: E402
from carers.models import Household  # noqa: E402
from matching.demo import seed_national_arrangements  # noqa: E402
from matching.models import Arrangement, Booking  # noqa: E402
from matching.services import suggest_carers  # noqa: E402
from schemes.audit import audit_paused  # noqa: E402
from schemes.demo import demo_people  # noqa: E402
from schemes.models import ImportantPlace, Person, Scheme  # noqa: E402
from sharedlives.startup import freeze_startup_objects  # noqa: E402

POOL = 10_000
PEOPLE = 15_000
RUNS = 15


def build() -> Person:
    call_command("migrate", verbosity=0)
    with scopes_disabled(), audit_paused():
        scheme, _ = Scheme.objects.get_or_create(
            slug="bench-pool", defaults={"name": "Benchmark pool", "nation": "england"}
        )
        if Household.objects.filter(scheme=scheme).count() < POOL:
            seed_national_households(random.Random(1), [scheme], total=POOL)  # noqa: S311
        if not Arrangement.objects.filter(scheme=scheme).exists():
            # People living with and booked into the pool's households, so the free-place rule has real work to do.
            Person.objects.bulk_create(demo_people(random.Random(2), scheme, PEOPLE), batch_size=2000)  # noqa: S311
            seed_national_arrangements(random.Random(3), [scheme])  # noqa: S311
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load, as autovacuum would give
        person, created = Person.objects.get_or_create(
            scheme=scheme, given_name="Bench", family_name="Person",
            defaults={"date_of_birth": "1980-01-01", "interests": "walking, football, baking",
                      "personality": "sarcastic humour", "pets_liked": ["dogs"], "languages": "Welsh, English"},
        )  # fmt: skip
        if created:
            ImportantPlace.objects.create(person=person, name="family home", latitude=52.5, longitude=-2.0, max_km=20)
    return person


def main() -> int:
    person = build()
    freeze_startup_objects()  # as a gunicorn or Celery worker does once it has loaded (sharedlives/wsgi.py)
    with scope(scheme=person.scheme):
        suggest_carers(person)  # warm up
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            result = suggest_carers(person)
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            suggest_carers(person)
        pool, arrangements, bookings = Household.objects.count(), Arrangement.objects.count(), Booking.objects.count()
    print(f"matching: ranked a pool of {pool:,} households for one person ({connection.vendor}); "
          f"{arrangements:,} arrangements and {bookings:,} bookings take places")  # fmt: skip
    print(f"  median {statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms, "
          f"worst {max(times) * 1000:.0f} ms over {RUNS} runs; {len(queries)} queries")  # fmt: skip
    print(f"  {len(result.suggestions)} suggestions, {len(result.excluded):,} excluded; target: under 200 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
