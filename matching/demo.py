"""Demo referrals at every status, with matches explored through the real services. Deterministic, idempotent."""

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django_scopes import scope

from carers.models import Household, Member, Stage
from schemes.demo import DEMO_PASSWORD, Login
from schemes.models import Membership, Person, Scheme, User
from schemes.permissions import Role

from . import services
from .models import (
    LIVE_IN_TYPES,
    Arrangement,
    Booking,
    FeeBand,
    Incident,
    IncidentAction,
    Match,
    MatchStatus,
    Referral,
    Timesheet,
    Visit,
)

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
                    today - timedelta(days=rng.randint(40, 1300)) if kind != "step_down" else today - timedelta(days=20)
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
    # Carers have said yes to what is booked beyond the next fortnight; the nearest few still wait for an answer.
    Booking.objects.filter(arrangement=arrangement, starts_on__gt=today + timedelta(days=14)).update(
        carer_accepted_at=timezone.now()
    )


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
    now = timezone.now()
    for booking in rows:
        booking.carer_accepted_at = now  # they happened
    Booking.objects.bulk_create(rows)
    # Timesheets were sent and approved for all but the last three weeks (those are on the carer's to-do list).
    Timesheet.objects.bulk_create(
        Timesheet(
            scheme=arrangement.scheme,
            booking=booking,
            household=arrangement.household,
            status=Timesheet.Status.APPROVED,
            sent_at=now,
            decided_at=now,
        )  # fmt: skip
        for booking in rows
        if booking.last_day < today - timedelta(days=21)
    )


def _seed_incidents(rng: random.Random, scheme: Scheme, *, today) -> None:
    arrangements = list(Arrangement.objects.filter(starts_on__lte=today - timedelta(days=40)).order_by("pk")[:3])
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


FUNDERS = ["council", "council", "nhs", "direct_payment"]


def seed_national_arrangements(rng: random.Random, schemes: list[Scheme]) -> None:
    """About 60,000 arrangements and bookings across the national schemes, in bulk, never over a household's places.

    Each approved household's places are filled in turn: live-in people take a place for good; one place left over
    in a household hosts short breaks back to back (never two at once); arrangements that ended years ago sit on a
    place's past, one after another. Schemes that already have arrangements are left alone (idempotent)."""
    done = set(Arrangement.objects.filter(scheme__in=schemes).values_list("scheme_id", flat=True).distinct())
    today = timezone.localdate()
    arrangements: list[Arrangement] = []
    stays: list[tuple[Arrangement, list[tuple[date, date]]]] = []
    for scheme in (s for s in schemes if s.pk not in done):
        band = FeeBand.objects.create(scheme=scheme, name="Band 2", weekly_rate=Decimal("475.00"))
        places = [
            (household, n)
            for household in Household.objects.filter(scheme=scheme, stage=Stage.APPROVED).order_by("pk")
            for n in range(household.terms_max_people or 0)
        ]
        rng.shuffle(places)
        people = list(Person.objects.filter(scheme=scheme).order_by("pk").only("pk", "status"))
        supported = [p for p in people if p.status == Person.Status.SUPPORTED]

        def add(person, household, kind, starts_on, *, scheme=scheme, **extra):
            arrangements.append(Arrangement(scheme=scheme, person=person, household=household, type=kind,
                                            starts_on=starts_on, funder=rng.choice(FUNDERS), **extra))  # fmt: skip
            return arrangements[-1]

        # Live-in: people supported, one to a place, on at most half the places.
        live_in = list(zip(supported, places[: len(places) // 2], strict=False))
        for person, (household, _) in live_in:
            add(person, household, "long_term", today - timedelta(days=rng.randint(30, 900)), fee_band=band,
                carer_agreement_on=today - timedelta(days=950), licence_on=today - timedelta(days=950))  # fmt: skip
        # Short breaks: up to three people share one place in each household that has a place left.
        live_in_households = Counter(household.pk for _, (household, _) in live_in)
        hosts = {h.pk: h for h, _ in places if live_in_households[h.pk] < (h.terms_max_people or 0)}
        guests = supported[len(live_in) :]
        for n, household in enumerate(hosts.values()):
            shared = [
                add(person, household, "short_breaks", today - timedelta(days=rng.randint(120, 900)))
                for person in guests[n :: len(hosts)][:3]
            ]
            if not shared:
                break
            planned = defaultdict(list)
            day, turn = today - timedelta(days=90), 0
            while day < today + timedelta(days=90):  # back to back on the one place: never two stays at once
                nights = rng.randint(1, 4)
                planned[turn % len(shared)].append((day, day + timedelta(days=nights)))
                day += timedelta(days=nights + rng.randint(2, 8))
                turn += 1
            stays += [(arrangement, planned[i]) for i, arrangement in enumerate(shared)]
        # Ended years ago, before any live-in today began (900 days ago at most): two eras on each place.
        movers = [p for p in people if p.status == Person.Status.ENDED] + supported[: len(supported) * 3 // 10]
        eras = [(2500, 2000), (1500, 1400)]  # start between these many days ago; each lasts 60-400 days
        for n, person in enumerate(movers[: len(places) * len(eras)]):
            household, _ = places[n % len(places)]
            oldest, newest = eras[n // len(places)]
            start = today - timedelta(days=rng.randint(newest, oldest))
            ended_on = start + timedelta(days=rng.randint(60, 400))
            add(person, household, "long_term", start, fee_band=band, ended_on=ended_on,
                end_reason=rng.choice(Arrangement.EndReason.values))  # fmt: skip
    Arrangement.objects.bulk_create(arrangements, batch_size=2000)
    Booking.objects.bulk_create(
        [
            Booking(
                scheme=a.scheme,
                arrangement=a,
                household=a.household,
                person=a.person,
                starts_on=arrive,
                ends_on=leave,
                last_day=leave - timedelta(days=1),
            )  # fmt: skip
            for a, dates in stays
            for arrive, leave in dates
        ],
        batch_size=5000,
    )
    Visit.objects.bulk_create(
        [
            Visit(
                scheme=a.scheme,
                arrangement=a,
                kind=Visit.Kind.REVIEW,
                due_on=today + timedelta(days=rng.randint(-30, 330)),
            )  # fmt: skip
            for a in arrangements
            if a.ended_on is None
        ],
        batch_size=5000,
    )


def seed_demo_carer_login(scheme: Scheme) -> list:
    """A demo carer for the portal: a carer of the household with the most coming up (idempotent)."""
    email = f"carer@{scheme.slug}.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        today = timezone.localdate()
        busiest = (
            Booking.objects.filter(scheme=scheme, status=Booking.Status.CONFIRMED, starts_on__gte=today)
            .values_list("household_id", flat=True)
            .annotate(n=Count("pk"))
            .order_by("-n", "household_id")
            .first()
        )
        member = Member.objects.filter(household_id=busiest, is_carer=True).order_by("pk").first()
        if member is None:
            return []
        user = User.objects.create(email=email, full_name=member.full_name, password=make_password(DEMO_PASSWORD))
        member.user = user
        member.save(update_fields=["user"])
    Membership.objects.get_or_create(user=user, scheme=scheme, defaults={"role": Role.CARER})
    return [Login(scheme.slug, Role.CARER, email, DEMO_PASSWORD)]


INCIDENT_EXAMPLES = [  # (category, severity, what happened, what was done straight away)
    ("accident", "low", "Slipped in the garden; a bruised knee.", "First aid; the carer phoned the scheme."),
    ("medication", "medium", "A morning tablet was missed.", "Called NHS 111 for advice."),
    ("health", "medium", "Felt unwell and was seen at the surgery.", "The carer went with them."),
    ("behaviour", "low", "Upset after a phone call; calm again within the hour.", "Talked it through together."),
    ("complaint", "low", "Unhappy with the time of the evening meal.", "Agreed a new time together."),
    ("safeguarding", "high", "Said someone at the day centre had shouted at them.", "Listened and told the scheme."),
]


def seed_national_casework(rng: random.Random, schemes: list[Scheme]) -> None:
    """The national schemes' day-to-day records, in bulk and in proportion, so that the pages listing them are
    measured among the whole sector's rows: about 60 referrals a scheme over three years; an incident for about
    three arrangements in ten, most closed, some with a follow-up action; and a timesheet for every short break
    that has ended, approved within the week (of the last three weeks' stays, half are still on the carers' to-do
    lists). Schemes that already have referrals are left alone."""
    done = set(Referral.objects.filter(scheme__in=schemes).values_list("scheme_id", flat=True).distinct())
    todo = [s for s in schemes if s.pk not in done]
    today, now = timezone.localdate(), timezone.now()
    workers = dict(
        Membership.objects.filter(scheme__in=todo, role=Role.COORDINATOR).values_list("scheme_id", "user_id")
    )
    people = defaultdict(list)
    for scheme_id, person_id in Person.objects.filter(scheme__in=todo).order_by("pk").values_list("scheme_id", "pk"):
        people[scheme_id].append(person_id)
    referrals = []
    for scheme in todo:
        for person_id in rng.sample(people[scheme.pk], min(60, len(people[scheme.pk]))):
            referred_on = today - timedelta(days=rng.randint(0, 1095))
            status = rng.choices(["closed", "matched", "new", "assessing", "matching"], [50, 35, 5, 5, 5])[0]
            referrals.append(Referral(
                scheme=scheme, person_id=person_id, source=rng.choice(Referral.Source.values),
                referred_on=referred_on, funding=rng.choice(Referral.Funding.values),
                support_type=rng.choice(["long_term", "short_breaks", "day_support"]),
                wanted_from=referred_on + timedelta(days=rng.randint(14, 90)), status=status,
                closed_reason="Found support closer to their family." if status == "closed" else "",
            ))  # fmt: skip
    Referral.objects.bulk_create(referrals, batch_size=2000)

    incidents = []
    arrangements = Arrangement.objects.filter(scheme__in=todo).order_by("pk")
    for a in arrangements.only("pk", "scheme_id", "starts_on", "ended_on"):
        last = a.ended_on or today
        if rng.random() >= 0.3 or last <= a.starts_on:
            continue
        category, severity, happened, action = rng.choice(INCIDENT_EXAMPLES)
        occurred = a.starts_on + timedelta(days=rng.randint(0, (last - a.starts_on).days))
        closed_on = occurred + timedelta(days=rng.randint(1, 30)) if occurred < today - timedelta(days=45) else None
        incidents.append(Incident(
            scheme_id=a.scheme_id, arrangement_id=a.pk, category=category, severity=severity,
            occurred_at=now - timedelta(days=(today - occurred).days, hours=rng.randint(0, 12)),
            what_happened=happened, immediate_action=action, recorded_by_id=workers.get(a.scheme_id),
            safeguarding_referral=category == "safeguarding",
            safeguarding_reference=f"SG-{rng.randint(10000, 99999)}" if category == "safeguarding" else "",
            closed_on=closed_on, closure_note="Talked through at the next visit; nothing more needed."
            if closed_on else "",
        ))  # fmt: skip
    Incident.objects.bulk_create(incidents, batch_size=2000)
    IncidentAction.objects.bulk_create(
        [
            IncidentAction(
                incident=incident,
                action="Check in with the carer and the person",
                owner_id=workers[incident.scheme_id],
                done_on=incident.closed_on,
                due_on=incident.occurred_at.date() + timedelta(days=14),
            )  # fmt: skip
            for incident in incidents
            if incident.scheme_id in workers and rng.random() < 0.6
        ],
        batch_size=2000,
    )

    timesheets = []
    ended = Booking.objects.filter(scheme__in=todo, last_day__lt=today).order_by("pk")
    for pk, scheme_id, household_id, last_day in ended.values_list("pk", "scheme_id", "household_id", "last_day"):
        recent = last_day >= today - timedelta(days=21)
        if recent and rng.random() < 0.5:
            continue  # not sent yet: on the carer's to-do list, as in the demo
        sent_at = now - timedelta(days=(today - last_day).days)
        decided = last_day < today - timedelta(days=7)  # staff approve within the week
        timesheets.append(Timesheet(
            scheme_id=scheme_id, booking_id=pk, household_id=household_id, sent_at=sent_at,
            miles=Decimal(rng.choice([0, 0, 12, 25, 40])),
            status=Timesheet.Status.APPROVED if decided else Timesheet.Status.SENT,
            decided_at=sent_at + timedelta(days=3) if decided else None,
        ))  # fmt: skip
    Timesheet.objects.bulk_create(timesheets, batch_size=5000)
