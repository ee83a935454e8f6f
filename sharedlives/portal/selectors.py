"""What a carer sees in the portal, gathered from carers, matching and outcomes: their own household only.

Every function takes the carer's household and reads nothing outside it; each costs a fixed number of queries.
"""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from carers.models import Household, RenewalUpload
from carers.rules import CheckKind, Status
from carers.selectors import household_compliance
from matching.models import LIVE_IN_TYPES, Arrangement, Booking, PaymentLine, PaymentRun, Timesheet
from matching.money import to_penny
from outcomes.selectors import surveys_due_among, with_last_survey
from schemes.models import Person
from schemes.selectors import first_and_more, with_person_names

# What a carer renews from home; the rest (references, panel papers) come through the scheme.
RENEWABLE = [CheckKind.DBS, CheckKind.INSURANCE, CheckKind.GAS_SAFETY, CheckKind.FIRST_AID,
             CheckKind.SAFEGUARDING, CheckKind.MEDICATION, CheckKind.MCA, CheckKind.DATA_PROTECTION,
             CheckKind.EQUALITY, CheckKind.CARE_CERTIFICATE]  # fmt: skip
COMING_DAYS = 60
TIMESHEET_DAYS_BACK = 90
ANSWER_DAYS = 365  # bookings up to a year ahead wait for the carer's answer
# How many of each list the home page shows; it says how many more there are and links to the page with them all.
HOME_SHOWS = {"answer": 5, "timesheets": 5, "coming": 10}


def my_people(*, household: Household, today: date) -> QuerySet[Person]:
    """People the household supports now: living there, or with a short-break or day-support arrangement open."""
    return Person.objects.filter(
        Exists(
            Arrangement.objects.filter(person=OuterRef("pk"), household=household).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=today)
            )
        )
    ).order_by("given_name", "family_name")


def my_arrangement_with(*, household: Household, person_pk: int, today: date) -> Arrangement | None:
    """The household's current arrangement with a person, or None (someone not placed here is not theirs to see)."""
    return (
        Arrangement.objects.filter(household=household, person_id=person_pk)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("person", "household", "scheme")
        .order_by("-starts_on")
        .first()
    )


def current_arrangements(*, household: Household, today: date) -> list[Arrangement]:
    """The household's arrangements going on today, earliest first, each with the person's name and the due date of
    their latest survey (one query): who lives here, and whose survey to help with, both come from these."""
    going_on = Arrangement.objects.filter(household=household, starts_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )
    return list(with_person_names(with_last_survey(going_on)).order_by("starts_on", "pk"))


def living_with_me(arrangements: list[Arrangement]) -> list[Arrangement]:
    """Of `current_arrangements`, those where the person lives in the carer's home."""
    return [arrangement for arrangement in arrangements if arrangement.type in LIVE_IN_TYPES]


def coming_up(*, household: Household, today: date, days: int = COMING_DAYS) -> QuerySet[Booking]:
    """Confirmed stays and sessions not over yet that start within `days`, soonest first."""
    return with_person_names(
        Booking.objects.filter(
            household=household,
            status=Booking.Status.CONFIRMED,
            last_day__gte=today,
            starts_on__lte=today + timedelta(days=days),
        )  # fmt: skip
    ).order_by("starts_on", "pk")


def waiting_for_answer(*, household: Household, today: date) -> QuerySet[Booking]:
    """Bookings the scheme has made that the carer has not accepted yet, up to a year ahead."""
    return coming_up(household=household, today=today, days=ANSWER_DAYS).filter(
        carer_accepted_at__isnull=True, starts_on__gte=today
    )


def timesheets_due(*, household: Household, today: date) -> QuerySet[Booking]:
    """Stays and sessions that have started in the last three months and have no timesheet waiting or approved."""
    live = Timesheet.objects.filter(booking=OuterRef("pk")).exclude(status=Timesheet.Status.RETURNED)
    return with_person_names(
        Booking.objects.filter(
            household=household,
            status=Booking.Status.CONFIRMED,
            starts_on__lte=today,
            starts_on__gte=today - timedelta(days=TIMESHEET_DAYS_BACK),
        ).filter(~Exists(live))  # fmt: skip
    ).order_by("starts_on", "pk")


def checks_to_renew(*, household: Household, today: date) -> list:
    """The checks and courses a carer renews themselves that are expired, not clear, missing or expiring within
    60 days (references, panel papers and the like come through the scheme)."""
    rows = household_compliance(households=[household], today=today)[household.pk]
    return [row for row in rows if row.status != Status.VALID and row.requirement.kind in RENEWABLE]


def returned_uploads(*, household: Household) -> list[RenewalUpload]:
    return list(RenewalUpload.objects.filter(household=household, status=RenewalUpload.Status.RETURNED)[:5])


def to_do(*, household: Household, today: date, arrangements: list[Arrangement]) -> dict:
    """Everything the carer has to do, each item with the words and the page to do it on (a fixed few queries). Of
    the bookings to answer and the timesheets to send, the first few and how many there are in all. The surveys to
    help with are worked out from `current_arrangements`."""
    answer, answer_more = first_and_more(waiting_for_answer(household=household, today=today), HOME_SHOWS["answer"])
    timesheets, timesheets_more = first_and_more(timesheets_due(household=household, today=today),
                                                 HOME_SHOWS["timesheets"])  # fmt: skip
    return {
        "checks": checks_to_renew(household=household, today=today),
        "returned": returned_uploads(household=household),
        "timesheets": timesheets,
        "timesheets_more": timesheets_more,
        "answer": answer,
        "answer_more": answer_more,
        "surveys": surveys_due_among(arrangements, interval=household.scheme.survey_interval_months, today=today),
        "review_on": household.next_review_on
        if household.next_review_on and household.next_review_on <= today + timedelta(days=COMING_DAYS)
        else None,
    }


def my_payments(*, household: Household) -> list[dict]:
    """Approved months in which the household was paid, newest first, with its total (one query)."""
    rows = (
        PaymentLine.objects.filter(household=household, run__status=PaymentRun.Status.APPROVED)
        .values("run_id", "run__month")
        .annotate(total=Sum("amount"))
        .order_by("-run__month")
    )
    return [{"run_id": r["run_id"], "month": r["run__month"], "total": to_penny(r["total"])} for r in rows]


def statement_lines(*, household: Household, run: PaymentRun) -> list[PaymentLine]:
    return list(
        PaymentLine.objects.filter(run=run, household=household)
        .select_related("arrangement__person")
        .order_by("arrangement_id", "part", "pk")
    )
