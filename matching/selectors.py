"""Reads for matching: the pool of carer households with what the hard rules need, places taken, and the board."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce

from carers.models import Household, Stage
from carers.selectors import HOUSEHOLD_NAME_FIELDS, checks_block_new_people
from schemes.selectors import USER_NAME_FIELDS, with_person_names, with_related_only

from .models import (
    FINISHED_MATCH_STATUSES,
    LIVE_IN_TYPES,
    Arrangement,
    Booking,
    FeeRates,
    Incident,
    IncidentAction,
    Match,
    PaymentLine,
    PaymentRun,
    Referral,
    Timesheet,
    Unavailability,
    Visit,
)
from .money import BookedDay, LiveIn, MileageClaim, Rates, month_bounds, to_penny

# Households in these stages are judged; earlier recruits are not candidates at all.
CANDIDATE_STAGES = [Stage.APPROVED, Stage.PANEL, Stage.TRAINING]
# What the hard rules need, for every candidate; and what the score needs, only for those that pass.
POOL_FIELDS = [
    "id", "name", "stage", "suspended_on", "terms_max_people", "terms_named_person_id", "wheelchair_accessible",
    "step_free", "ground_floor_bedroom", "has_dogs", "has_cats", "smokers", "spare_bedrooms",
]  # fmt: skip
SCORE_FIELDS = ["id", "interests", "skills", "languages", "faith"]


def candidate_pool(*, on: date, support_type: str | None = None, needs: tuple[str, ...] = ()) -> list[dict]:
    """Every candidate household as a dict with what the hard rules need, in one flat query.

    Whether its checks let it take someone new is asked in the database (carers' `checks_block_new_people`): reading
    every current check and adult member into Python cost more than the whole ranking (make bench).
    """
    # The approval terms are asked about in the database, one yes/no per thing wanted: decoding 10,000 JSON lists
    # in Python costs more than the ranking. The codes are quoted in the JSON text, so a quoted match is exact.
    asked = {f"approved_for_{code}": _terms_has("terms_needs", code) for code in needs}
    if support_type:
        asked["approved_for_support_type"] = _terms_has("terms_support_types", support_type)
    rows = (
        Household.objects.filter(stage__in=CANDIDATE_STAGES)
        .annotate(checks_block=checks_block_new_people(on=on), **asked)
        .values(*POOL_FIELDS, "checks_block", *asked)
        .order_by("name", "id")
    )
    labels = dict(Stage.choices)
    pool = list(rows)
    for row in pool:
        row["stage_label"] = labels[row["stage"]]
    return pool


def score_details(*, household_ids: list[int]) -> dict[int, dict]:
    """The texts and map position the score reads, for the households that passed the hard rules (one query)."""
    rows = (
        Household.objects.filter(pk__in=household_ids)
        # Floats for the distance sums: converting thousands of Decimals costs more than the ranking itself.
        .annotate(latitude_f=Cast("latitude", FloatField()), longitude_f=Cast("longitude", FloatField()))
        .order_by()
        .values(*SCORE_FIELDS, "latitude_f", "longitude_f")
    )
    return {row["id"]: {**row, "latitude": row["latitude_f"], "longitude": row["longitude_f"]} for row in rows}


def _terms_has(field: str, code: str) -> ExpressionWrapper:
    return ExpressionWrapper(Q(**{f"{field}__icontains": f'"{code}"'}), output_field=BooleanField())


def places_taken(*, on: date) -> dict[int, int]:
    """People living with or booked into each household on a day, in one query."""
    taken: dict[int, int] = {}
    live_in = _live_in_on(first=on, last=on).values_list("household_id").annotate(n=Count("pk")).order_by()
    booked = _booked_on(first=on, last=on).values_list("household_id").annotate(n=Count("pk")).order_by()
    for household_id, n in live_in.union(booked, all=True):
        taken[household_id] = taken.get(household_id, 0) + n
    return taken


def _live_in_on(*, first: date, last: date | None) -> QuerySet[Arrangement]:
    """Live-in arrangements taking a place on any day from first to last (None: from first on)."""
    live = Arrangement.objects.filter(type__in=LIVE_IN_TYPES).filter(
        Q(ended_on__gte=first) | Q(ended_on__isnull=True, planned_end_on__gte=first)
        | Q(ended_on__isnull=True, planned_end_on__isnull=True)
    )  # fmt: skip
    return live if last is None else live.filter(starts_on__lte=last)


def _booked_on(*, first: date, last: date | None) -> QuerySet[Booking]:
    booked = Booking.objects.filter(status=Booking.Status.CONFIRMED, last_day__gte=first)
    return booked if last is None else booked.filter(starts_on__lte=last)


def places_taken_spans(*, household_id: int, first: date, last: date | None) -> list[tuple[date, date | None]]:
    """Each place taken in a household between two days, as (first day, last day or None): two queries."""
    live_in = _live_in_on(first=first, last=last).filter(household_id=household_id)
    booked = _booked_on(first=first, last=last).filter(household_id=household_id)
    return [
        *(
            (start, ended or planned)
            for start, ended, planned in live_in.values_list("starts_on", "ended_on", "planned_end_on")
        ),
        *booked.values_list("starts_on", "last_day"),
    ]


def live_in_overlapping(*, person_id: int, first: date, last: date | None) -> Arrangement | None:
    return _live_in_on(first=first, last=last).filter(person_id=person_id).select_related("household").first()


def arrangement_list(*, status: str = "active", arrangement_type: str = "", today: date) -> QuerySet[Arrangement]:
    # Each row names the person and the household and links the arrangement: only those columns of the two records.
    arrangements = with_person_names(with_related_only(Arrangement.objects.all(), "household", HOUSEHOLD_NAME_FIELDS))
    if status == "active":
        arrangements = arrangements.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    elif status == "ended":
        arrangements = arrangements.filter(ended_on__lt=today)
    if arrangement_type:
        arrangements = arrangements.filter(type=arrangement_type)
    return arrangements.order_by("household__name", "person__family_name", "pk")


def arrangement_page(*, arrangement: Arrangement, today: date, with_incidents: bool) -> dict:
    """Everything the arrangement's page shows, in a fixed number of queries."""
    return {
        "bookings": list(
            arrangement.bookings.filter(last_day__gte=today - timedelta(days=31)).order_by("starts_on")[:60]
        ),
        "visits": list(arrangement.visits.select_related("done_by").order_by("due_on", "pk")),
        "incidents": list(arrangement.incidents.order_by("-occurred_at")) if with_incidents else [],
    }


def next_review(*, arrangement: Arrangement) -> Visit | None:
    """The arrangement's next review not yet done (the first one, or the yearly one)."""
    return arrangement.visits.filter(kind=Visit.Kind.REVIEW, done_on__isnull=True).order_by("due_on").first()


# What a booking's line reads of its arrangement: enough for the arrangement's address.
ARRANGEMENT_LINK_FIELDS = frozenset({"id", "scheme"})


def calendar_bookings(*, first: date, last: date, household_id: int | None = None, person_id: int | None = None):
    """Confirmed bookings and live-in arrangements touching a month, for one household or one person. Each names the
    other side only (a household's calendar the people, a person's the households) and links its arrangement."""
    booked = with_related_only(_booked_on(first=first, last=last), "arrangement", ARRANGEMENT_LINK_FIELDS)
    live_in = _live_in_on(first=first, last=last)
    if household_id is not None:
        booked, live_in = booked.filter(household_id=household_id), live_in.filter(household_id=household_id)
        booked, live_in = with_person_names(booked), with_person_names(live_in)
    if person_id is not None:
        booked, live_in = booked.filter(person_id=person_id), live_in.filter(person_id=person_id)
        booked = with_related_only(booked, "household", HOUSEHOLD_NAME_FIELDS)
        live_in = with_related_only(live_in, "household", HOUSEHOLD_NAME_FIELDS)
    away = Unavailability.objects.filter(starts_on__lte=last, ends_on__gte=first)
    away = away.filter(household_id=household_id) if household_id is not None else away.none()
    return list(booked.order_by("starts_on", "pk")), list(live_in.order_by("starts_on", "pk")), list(away)


def visits_due(*, today: date, within_days: int = 30) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(done_on__isnull=True, due_on__lte=today + timedelta(days=within_days))
        .filter(Q(arrangement__ended_on__isnull=True) | Q(arrangement__ended_on__gte=F("due_on")))
        .select_related("arrangement__person", "arrangement__household")
        .order_by("due_on", "pk")
    )


# What a list's row shows of the arrangement it is about: its address, and whose it is.
ARRANGEMENT_ROW_FIELDS = ARRANGEMENT_LINK_FIELDS | {"person", "household"}


def with_arrangement_names(queryset: QuerySet) -> QuerySet:
    """Rows about an arrangement (a visit, an incident), each with the arrangement's address and the names of its
    person and household, and nothing else of the three."""
    queryset = with_related_only(queryset, "arrangement", ARRANGEMENT_ROW_FIELDS)
    return with_person_names(
        with_related_only(queryset, "arrangement__household", HOUSEHOLD_NAME_FIELDS), "arrangement__person"
    )


def payment_run_list() -> QuerySet[PaymentRun]:
    """The scheme's payment runs, newest month first, with who approved each (their name only)."""
    return with_related_only(PaymentRun.objects.all(), "approved_by", USER_NAME_FIELDS).order_by("-month")


def timesheet_rows(timesheets: QuerySet[Timesheet]) -> QuerySet[Timesheet]:
    """Timesheets as a list shows them: the stay or session, and the names of the person and the household."""
    return with_person_names(with_related_only(timesheets, "household", HOUSEHOLD_NAME_FIELDS), "booking__person")


# An incident's account, in words (up to 8,000 characters): on its own page, not in the list.
INCIDENT_ACCOUNT = ("what_happened", "who_was_involved", "immediate_action", "closure_note")


def incident_list(*, open_only: bool) -> QuerySet[Incident]:
    """Newest first, each with how many of its actions are still open: counted for each incident on the page from
    the actions' incident index, so the sector's other actions are never read (a join and GROUP BY read them all)."""
    incidents = with_arrangement_names(Incident.objects.defer(*INCIDENT_ACCOUNT))
    if open_only:
        incidents = incidents.filter(closed_on__isnull=True)
    open_actions = (
        IncidentAction._base_manager.filter(incident=OuterRef("pk"), done_on__isnull=True)  # the incident is scoped
        .order_by()
        .values("incident")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return incidents.annotate(actions_open=Coalesce(Subquery(open_actions), 0)).order_by("-occurred_at", "pk")


def month_money_rows(*, scheme, month: date) -> tuple[list[LiveIn], list[BookedDay], Rates, list[MileageClaim]]:
    """The arrangements, bookings and approved mileage a month is paid from, as plain rows (four queries)."""
    first, last = month_bounds(month)
    live_in = [
        LiveIn(a.pk, a.household_id, a.funder, a.starts_on, a.ended_on, a.fee_band.weekly_rate if a.fee_band else 0,
               a.weekly_rent, a.weekly_contribution, a.fee_band.name if a.fee_band else "")
        for a in Arrangement.objects.filter(type__in=LIVE_IN_TYPES, starts_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .select_related("fee_band")
        .order_by("pk")
    ]  # fmt: skip
    # A stay that starts the month before can have nights in this one.
    booked = [
        BookedDay(b.pk, b.arrangement_id, b.household_id, b.arrangement.funder, b.starts_on, b.ends_on,
                  b.session_hours, b.full_days, b.introductory)
        for b in _booked_on(first=first, last=last).select_related("arrangement").order_by("pk")
    ]  # fmt: skip
    fee_rates = FeeRates.objects.filter(scheme=scheme).first() or FeeRates(scheme=scheme)
    rates = Rates(
        night=fee_rates.short_break_night, full_day=fee_rates.full_day_supplement, introductory=fee_rates.introductory,
        sessions={4: fee_rates.day_4_hours, 6: fee_rates.day_6_hours, 8: fee_rates.day_8_hours},
        mileage=fee_rates.mileage,
    )  # fmt: skip
    mileage = [
        MileageClaim(t.booking.arrangement_id, t.household_id, t.booking.arrangement.funder, t.booking.starts_on,
                     t.miles)
        for t in Timesheet.objects.filter(status=Timesheet.Status.APPROVED, miles__gt=0,
                                          booking__starts_on__gte=first, booking__starts_on__lte=last)
        .select_related("booking__arrangement").order_by("pk")
    ]  # fmt: skip
    return live_in, booked, rates, mileage


def statements(*, run: PaymentRun) -> list[dict]:
    """The run's lines grouped by household (carer statements), with totals per part, in one query."""
    households: dict[int, dict] = {}
    for line in run.lines.select_related("household", "arrangement__person").order_by("household__name", "pk"):
        entry = households.setdefault(line.household_id, {"household": line.household, "lines": [],
                                                          "care_fee": Decimal(0), "rent": Decimal(0),
                                                          "contribution": Decimal(0)})  # fmt: skip
        entry["lines"].append(line)
        entry[line.part] += line.amount
    return list(households.values())


def invoices(*, run: PaymentRun) -> list[dict]:
    """Care fees grouped by funder: what each commissioner is invoiced (one query)."""
    rows = (
        run.lines.filter(part=PaymentLine.Part.CARE_FEE)
        .values("funder")
        .annotate(total=Sum("amount"), arrangements=Count("arrangement", distinct=True))
        .order_by("funder")
    )
    labels = dict(Referral.Funding.choices)
    # SQLite sums decimals as floats: round back to the penny (PostgreSQL's numeric sum is exact already).
    return [{**row, "total": to_penny(row["total"]), "label": labels[row["funder"]]} for row in rows]


def open_referral(*, person) -> Referral | None:
    return (
        Referral.objects.filter(
            person=person, status__in=[Referral.Status.NEW, Referral.Status.ASSESSING, Referral.Status.MATCHING]
        )  # fmt: skip
        .order_by("-referred_on", "-pk")
        .first()
    )


def referral_board(*, waiting_only: bool = True) -> QuerySet[Referral]:
    referrals = with_person_names(Referral.objects.all()).prefetch_related(
        Prefetch(
            "matches",
            queryset=with_related_only(Match.objects.all(), "household", HOUSEHOLD_NAME_FIELDS).order_by("-updated_at"),
        )
    )
    if waiting_only:
        referrals = referrals.filter(
            status__in=[Referral.Status.NEW, Referral.Status.ASSESSING, Referral.Status.MATCHING]
        )
    return referrals.order_by("referred_on", "pk")


def referral_counts() -> dict[str, int]:
    rows = Referral.objects.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def open_matches_for(*, referral: Referral) -> list[Match]:
    return list(referral.matches.select_related("household").order_by("-updated_at"))


def match_with_steps(*, pk: int) -> Match:
    return Match.objects.select_related("referral__person", "household", "scheme").get(pk=pk)


def is_finished(status: str) -> bool:
    return status in FINISHED_MATCH_STATUSES


def dashboard_summary(*, scheme, today: date) -> dict[str, int]:
    """Counts for Today: waiting referrals, reviews and visits, open incidents (three queries)."""
    cutoff = today - timedelta(days=scheme.matching_target_days)
    waiting = Referral.objects.filter(
        status__in=[Referral.Status.NEW, Referral.Status.ASSESSING, Referral.Status.MATCHING]
    ).aggregate(waiting=Count("pk"), over_target=Count("pk", filter=Q(referred_on__lt=cutoff)))
    open_visits = visits_due(today=today, within_days=30).order_by()
    visits = open_visits.aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)), due_soon=Count("pk", filter=Q(due_on__gte=today))
    )
    incidents = Incident.objects.filter(closed_on__isnull=True).aggregate(
        open=Count("pk"),
        not_notified=Count("pk", filter=Q(regulator_notifiable=True, regulator_notified_on__isnull=True)),
    )
    return {
        "waiting": waiting["waiting"],
        "over_target": waiting["over_target"],
        "visits_overdue": visits["overdue"],
        "visits_due_soon": visits["due_soon"],
        "incidents_open": incidents["open"],
        "regulator_not_told": incidents["not_notified"],
    }
