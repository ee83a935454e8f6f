"""Demo referrals at every status, with matches explored through the real services. Deterministic, idempotent."""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from carers.models import Household, Stage
from schemes.models import Person, Scheme

from . import services
from .models import LIVE_IN_TYPES, Arrangement, Booking, FeeBand, Match, MatchStatus, Referral, Visit

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
                steps = JOURNEY if n % 6 == 4 else JOURNEY[: rng.randint(0, len(JOURNEY))]
                for status in steps:
                    services.match_step(
                        match=match,
                        by=None,
                        status=status,
                        on=today,
                        carer_view="Looking forward to meeting." if status == "interested" else "",
                    )


BANDS = [("Band 1", "372.00"), ("Band 2", "450.00"), ("Band 3", "520.00"), ("Band 4", "592.00")]


def seed_demo_arrangements(rng: random.Random, scheme: Scheme) -> None:
    """Arrangements of every type through the real services: agreed matches started, people already supported,
    bookings over the next three months, reviews and visits, incidents, and last month's payments approved.

    History no service would accept today (bookings in the past, a visit left overdue) is written directly.
    """
    if Arrangement.objects.filter(scheme=scheme).exists():
        return
    today = timezone.localdate()
    with scope(scheme=scheme):
        bands = [FeeBand.objects.create(scheme=scheme, name=n, weekly_rate=Decimal(r)) for n, r in BANDS]
        services.fee_rates_for(scheme)
        for match in Match.objects.filter(status=MatchStatus.AGREED).select_related("referral__person"):
            kind = match.referral.support_type if match.referral.support_type != "emergency" else "long_term"
            _try_start(scheme=scheme, person=match.referral.person, household=match.household, type=kind,
                       starts_on=today, funder=match.referral.funding, match=match, bands=bands, rng=rng)  # fmt: skip
        households = list(Household.objects.filter(stage=Stage.APPROVED, suspended_on__isnull=True).order_by("pk"))
        people = list(Person.objects.filter(status=Person.Status.SUPPORTED, arrangements__isnull=True).order_by("pk"))
        kinds = ["long_term", "short_breaks", "day_support", "long_term", "step_down", "short_breaks"]
        for n, person in enumerate(people):
            for household in households[n % len(households) :] + households[: n % len(households)]:
                kind = kinds[n % len(kinds)]
                starts_on = (
                    today - timedelta(days=rng.randint(40, 900)) if kind != "step_down" else today - timedelta(days=20)
                )
                arrangement = _try_start(scheme=scheme, person=person, household=household, type=kind,
                                         starts_on=starts_on, funder=rng.choice(["council", "council", "nhs",
                                         "direct_payment"]), bands=bands, rng=rng)  # fmt: skip
                if arrangement:
                    break
        for arrangement in Arrangement.objects.filter(type__in=["short_breaks", "day_support"]).order_by("pk"):
            _book_ahead(rng, arrangement, today=today)
            _record_past_bookings(rng, arrangement, today=today)
        for arrangement in Arrangement.objects.filter(type__in=LIVE_IN_TYPES).order_by("pk")[:2]:
            # A review that slipped: what the "due and overdue" list is for.
            Visit.objects.create(scheme=scheme, arrangement=arrangement, kind=Visit.Kind.MONITORING,
                                 due_on=today - timedelta(days=rng.randint(3, 20)))  # fmt: skip
        _seed_incidents(rng, scheme, today=today)
        ended = Arrangement.objects.filter(type="long_term", ended_on__isnull=True).order_by("-pk").first()
        if ended is not None:
            services.arrangement_end(arrangement=ended, ended_on=today - timedelta(days=5), reason="own_home",
                                     note="Moved into a flat of their own, two streets away.", by=None)  # fmt: skip
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        run = services.payment_run_prepare(scheme=scheme, month=last_month, by=None)
        services.payment_run_approve(run=run, by=None)
        services.payment_run_prepare(scheme=scheme, month=today, by=None)


def _try_start(*, bands, rng, **fields) -> Arrangement | None:
    kind = fields["type"]
    extra = {}
    if kind in LIVE_IN_TYPES:
        extra = {"fee_band": rng.choice(bands), "weekly_rent": Decimal("115.50"),
                 "weekly_contribution": Decimal("62.00"), "licence_on": fields["starts_on"]}  # fmt: skip
    if kind == "step_down":
        extra["planned_end_on"] = fields["starts_on"] + timedelta(weeks=6)
    try:
        return services.arrangement_start(by=None, carer_agreement_on=fields["starts_on"],
                                          arrangement_agreement_on=fields["starts_on"], **fields, **extra)  # fmt: skip
    except ValidationError:
        return None  # that household cannot take this person: try the next


def _book_ahead(rng: random.Random, arrangement: Arrangement, *, today) -> None:
    day = today + timedelta(days=rng.randint(1, 6))
    while day < today + timedelta(days=90):
        try:
            if arrangement.type == "day_support":
                services.booking_create(arrangement=arrangement, starts_on=day, session_hours=rng.choice([4, 6, 8]),
                                        by=None)  # fmt: skip
                day += timedelta(days=rng.choice([2, 3, 4, 7]))
            else:
                nights = rng.choice([2, 3, 4, 7])
                services.booking_create(arrangement=arrangement, starts_on=day, ends_on=day + timedelta(days=nights),
                                        full_days=rng.choice([0, 0, 1]), by=None)  # fmt: skip
                day += timedelta(days=nights + rng.randint(10, 25))
        except ValidationError:
            day += timedelta(days=1)  # no room that day: the next


def _record_past_bookings(rng: random.Random, arrangement: Arrangement, *, today) -> None:
    day = max(arrangement.starts_on, today - timedelta(days=90))
    rows = []
    while day < today - timedelta(days=8):
        if arrangement.type == "day_support":
            rows.append(Booking(scheme=arrangement.scheme, arrangement=arrangement, household=arrangement.household,
                                person=arrangement.person, starts_on=day, ends_on=day, last_day=day,
                                session_hours=rng.choice([4, 6, 8])))  # fmt: skip
            day += timedelta(days=rng.choice([3, 4, 7]))
        else:
            nights = rng.choice([2, 3, 4])
            rows.append(Booking(scheme=arrangement.scheme, arrangement=arrangement, household=arrangement.household,
                                person=arrangement.person, starts_on=day, ends_on=day + timedelta(days=nights),
                                last_day=day + timedelta(days=nights - 1)))  # fmt: skip
            day += timedelta(days=nights + rng.randint(14, 28))
    Booking.objects.bulk_create(rows)


def _seed_incidents(rng: random.Random, scheme: Scheme, *, today) -> None:
    arrangements = list(Arrangement.objects.order_by("pk")[:3])
    now = timezone.now()
    examples = [
        dict(category="accident", severity="low", what_happened="Tripped on the back step; a grazed hand, cleaned and "
             "dressed. No hospital visit needed.", immediate_action="First aid; the carer phoned the scheme."),
        dict(category="safeguarding", severity="high", what_happened="Said a relative had taken money from their "
             "purse during a visit.", immediate_action="Listened, wrote down their words, told the scheme the same "
             "day.", safeguarding_referral=True, safeguarding_reference="ASC-SG-20418", regulator_notifiable=True),
        dict(category="medication", severity="medium", what_happened="An evening tablet was missed.",
             immediate_action="Called NHS 111 for advice; the next dose given as normal."),
    ]  # fmt: skip
    for n, (arrangement, fields) in enumerate(zip(arrangements, examples, strict=False)):
        incident = services.incident_record(scheme=scheme, by=None, arrangement=arrangement,
                                            occurred_at=now - timedelta(days=3 + 9 * n), **fields)  # fmt: skip
        if n == 2:
            services.incident_close(
                incident=incident, closed_on=today - timedelta(days=1), by=None,
                note="Medication chart changed to a tick sheet; checked at the next visit.",
            )  # fmt: skip
