"""Demo referrals at every status, with matches explored through the real services. Deterministic, idempotent."""

import random
from datetime import timedelta

from django.utils import timezone
from django_scopes import scope

from carers.models import Household
from schemes.models import Person, Scheme

from . import services
from .models import Referral

JOURNEY = ["shared", "interested", "introduction", "visits", "trial", "agreed"]


def seed_demo_referrals(rng: random.Random, scheme: Scheme) -> None:
    if Referral.objects.filter(scheme=scheme).exists():
        return
    today = timezone.localdate()
    with scope(scheme=scheme):
        people = list(Person.objects.filter(status=Person.Status.REFERRED).order_by("pk"))
        people += list(Person.objects.filter(status=Person.Status.SUPPORTED).order_by("pk")[:4])
        for n, person in enumerate(people[:12]):
            referral = services.referral_create(
                scheme=scheme, person=person, source=rng.choice(["social_worker", "nhs", "family", "self"]),
                referrer_name=rng.choice(["Adult social care, north team", "Stroke ward", "Community mental health"]),
                referred_on=today - timedelta(days=rng.randint(3, 60)), funding=rng.choice(["council", "nhs"]),
                support_type=rng.choice(["long_term", "long_term", "short_breaks"]),
                wanted_from=today + timedelta(days=rng.randint(0, 30)),
                urgency=rng.choice(["routine", "routine", "soon", "urgent"]),
            )  # fmt: skip
            if n % 6 == 0:
                continue  # new
            if n % 6 == 1:
                services.referral_move(referral=referral, by=None, status=Referral.Status.ASSESSING)
                continue
            if n % 6 == 5:
                services.referral_move(referral=referral, by=None, status=Referral.Status.CLOSED,
                                       reason="The person chose to stay with family for now.")  # fmt: skip
                continue
            for suggestion in services.suggest_carers(person, referral=referral, limit=1 if n % 6 == 4 else 2):
                household = Household.objects.get(pk=suggestion.household_id)
                match = services.match_propose(referral=referral, household=household, by=None)
                steps = [*JOURNEY, "started"] if n % 6 == 4 else JOURNEY[: rng.randint(0, len(JOURNEY))]
                for status in steps:
                    services.match_step(
                        match=match,
                        by=None,
                        status=status,
                        on=today,
                        carer_view="Looking forward to meeting." if status == "interested" else "",
                    )
