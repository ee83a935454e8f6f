"""Demo data (`--scale demo`) or the whole UK sector (`--scale national`). Deterministic and idempotent."""

import json
import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django_scopes import scopes_disabled

from carers.demo import seed_demo_households, seed_national_households, seed_national_reviews
from matching.demo import (
    seed_demo_arrangements,
    seed_demo_carer_login,
    seed_demo_referrals,
    seed_national_arrangements,
    seed_national_casework,
)
from outcomes.demo import seed_surveys
from schemes.audit import audit_paused
from schemes.demo import (
    DEMO_PASSWORD,
    DEMO_SCHEMES,
    seed_demo_places,
    seed_demo_schemes,
    seed_national_schemes,
    seed_national_trail,
)
from schemes.models import Scheme

SEED = 20261122


class Command(BaseCommand):
    help = "Create demo data. Running it again adds nothing."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "national"], default="demo")
        parser.add_argument("--json", action="store_true", help="Print one JSON object per demo login.")

    def handle(self, *args, scale: str, json: bool, **options):
        rng = random.Random(SEED)  # noqa: S311 - demo data, not security
        with scopes_disabled(), audit_paused(), transaction.atomic():
            logins = seed_demo_schemes(rng)
            for scheme in Scheme.objects.filter(slug__in=[d["slug"] for d in DEMO_SCHEMES]).order_by("slug"):
                seed_demo_places(rng, scheme)
                seed_demo_households(rng, scheme)
                seed_demo_referrals(rng, scheme)
                seed_demo_arrangements(rng, scheme)
                logins += seed_demo_carer_login(scheme)
            seed_surveys(rng, list(Scheme.objects.filter(slug__in=[d["slug"] for d in DEMO_SCHEMES]).order_by("slug")))
            if scale == "national":
                logins += seed_national_schemes(rng)
                national = list(Scheme.objects.filter(slug__startswith="national-").order_by("pk"))
                seed_national_households(rng, national)
                seed_national_arrangements(rng, national)
                seed_national_reviews(rng, national)
                seed_national_casework(rng, national)
                seed_national_trail(rng, national)
                seed_surveys(rng, national, latest=2)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load
        if json:
            for login in logins:
                self.stdout.write(_json_line(login))
            return
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({scale}). Every demo password is: {DEMO_PASSWORD}"))
        if not settings.TWO_FACTOR_REQUIRED:
            self.stdout.write("  (Two-step sign-in is off for this demo; production asks staff for a code as well.)")
        for login in logins[:40]:
            where = login.scheme or "all schemes"
            self.stdout.write(f"  {login.email:<45} {login.role:<20} {where}")
        if len(logins) > 40:
            self.stdout.write(f"  … and {len(logins) - 40} more (use --json to list them all)")


def _json_line(login) -> str:
    return json.dumps({"scheme": login.scheme, "role": login.role, "email": login.email, "password": login.password})
