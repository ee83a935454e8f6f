"""Arrangements: the rules that protect people (capacity, overlaps, eligibility), reviews and visits, incidents,
and money to the penny on worked examples; the pages, with query counts that do not grow."""

import csv
import io
import re
import threading
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_scopes import scope, scopes_disabled

from carers.models import Check
from carers.rules import CheckKind
from matching import services
from matching.models import (
    Arrangement,
    Booking,
    FeeBand,
    FeeRates,
    Incident,
    PaymentLine,
    PaymentRun,
    Unavailability,
    Visit,
)
from matching.money import Rates, month_lines, pro_rata
from matching.services import peak_occupancy
from schemes.models import AuditEvent, Person
from schemes.permissions import Role
from tests.conftest import skip_or_fail
from tests.factories import (
    ArrangementFactory,
    IncidentActionFactory,
    IncidentFactory,
    MembershipFactory,
    PersonFactory,
    SchemeFactory,
    VisitFactory,
)
from tests.factories import approved_household as approved

TODAY = timezone.localdate()
D = date.fromisoformat


@pytest.fixture
def scheme(world):
    return world.a.scheme


def band_of(scheme) -> FeeBand:
    with scopes_disabled():
        return FeeBand.objects.create(scheme=scheme, name="Band 2", weekly_rate=Decimal("450.00"))


@pytest.fixture
def band(scheme):
    return band_of(scheme)


@pytest.fixture
def quiet_scheme(db):
    """A scheme holding only what the test makes. The shared world's has last month's payments approved, so locked,
    and a booking near today: a worked example on a fixed month, or one that counts every line of a run, must not
    meet them whatever day the suite runs on."""
    return SchemeFactory(slug="gamma", name="Gamma Shared Lives")


def start(scheme, person, household, *, type="short_breaks", starts_on=None, band=None, **extra):
    with scope(scheme=scheme):
        return services.arrangement_start(
            scheme=scheme, person=person, household=household, type=type, starts_on=starts_on or TODAY,
            funder=extra.pop("funder", "council"), by=None, fee_band=band, **extra,
        )  # fmt: skip


def book(arrangement, starts_on, nights=None, **extra):
    with scope(scheme=arrangement.scheme):
        if nights is not None:
            extra["ends_on"] = starts_on + timedelta(days=nights)
        return services.booking_create(arrangement=arrangement, starts_on=starts_on, by=None, **extra)


# --- Places: never more people on any day than the household is approved for ----------------------------------------


def test_peak_occupancy_counts_the_busiest_day():
    spans = [(D("2026-12-01"), D("2026-12-03")), (D("2026-12-03"), D("2026-12-05")), (D("2026-12-10"), None)]
    assert peak_occupancy(spans, first=D("2026-12-01"), last=D("2026-12-31")) == 2  # the 3rd
    assert peak_occupancy(spans, first=D("2026-12-04"), last=D("2026-12-09")) == 1
    assert peak_occupancy(spans, first=D("2026-12-06"), last=D("2026-12-09")) == 0
    assert peak_occupancy(spans, first=D("2027-01-01"), last=None) == 1  # open-ended keeps its place


def test_a_short_break_cannot_fill_a_place_a_live_in_person_takes(scheme, band):
    home = approved(scheme, "Hughes", terms_max_people=2)
    living = start(scheme, PersonFactory(scheme=scheme), home, type="long_term", band=band,
                   starts_on=TODAY - timedelta(days=100))  # fmt: skip
    first = start(scheme, PersonFactory(scheme=scheme), home)
    second = start(scheme, PersonFactory(scheme=scheme), home)
    book(first, TODAY + timedelta(days=10), nights=3)  # nights of the 10th, 11th, 12th
    with pytest.raises(ValidationError, match="would support more than 2 at once"):
        book(second, TODAY + timedelta(days=12), nights=2)
    # Arriving on the day the first guest leaves is fine: a night belongs to the day it starts.
    assert book(second, TODAY + timedelta(days=13), nights=2).nights == 2
    assert living.is_live_in


def test_a_new_live_in_arrangement_must_fit_around_bookings_already_made(scheme, band):
    home = approved(
        scheme, "Hughes", terms_max_people=1, terms_support_types=["long_term", "step_down", "short_breaks"]
    )
    breaks = start(scheme, PersonFactory(scheme=scheme), home)
    book(breaks, TODAY + timedelta(days=40), nights=2)
    with pytest.raises(ValidationError, match="would support more than 1 at once"):
        start(scheme, PersonFactory(scheme=scheme), home, type="long_term", band=band)
    # A step-down that ends before the booked break fits.
    step_down = start(scheme, PersonFactory(scheme=scheme), home, type="step_down", band=band,
                      planned_end_on=TODAY + timedelta(days=30))  # fmt: skip
    assert step_down.pk


def test_one_person_cannot_be_booked_twice_on_the_same_days(scheme):
    person = PersonFactory(scheme=scheme)
    at_hughes = start(scheme, person, approved(scheme, "Hughes"))
    at_patel = start(scheme, person, approved(scheme, "Patel"))
    book(at_hughes, TODAY + timedelta(days=5), nights=4)
    with pytest.raises(ValidationError, match="already has a booking then"):
        book(at_patel, TODAY + timedelta(days=7), nights=1)


def test_one_open_arrangement_per_person_and_household(scheme):
    person, home = PersonFactory(scheme=scheme), approved(scheme, "Hughes")
    start(scheme, person, home)
    with pytest.raises(ValidationError, match="already has an arrangement with this household"):
        start(scheme, person, home, type="day_support")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"suspended_on": TODAY}, "the household is suspended"),
        ({"terms_support_types": ["long_term"]}, "not approved for short breaks"),
        ({"stage": "panel", "terms_max_people": None}, "the household is not approved"),
    ],
)
def test_a_household_that_may_not_take_anyone_new_is_refused_with_the_reason(scheme, change, words):
    home = approved(scheme, "Hughes", **change)
    with pytest.raises(ValidationError, match=words):
        start(scheme, PersonFactory(scheme=scheme), home)


def test_an_expired_dbs_stops_new_bookings_but_not_the_record(scheme):
    home = approved(scheme, "Hughes")
    breaks = start(scheme, PersonFactory(scheme=scheme), home)
    with scopes_disabled():
        Check.objects.filter(household=home, kind=CheckKind.DBS).update(expires_on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="a DBS check or the insurance has expired"):
        book(breaks, TODAY + timedelta(days=3), nights=1)
    with scopes_disabled():
        assert not Booking.objects.filter(arrangement=breaks).exists()


def test_unavailable_days_cannot_be_booked(scheme):
    home = approved(scheme, "Hughes")
    breaks = start(scheme, PersonFactory(scheme=scheme), home)
    with scope(scheme=scheme):
        services.unavailability_add(household=home, starts_on=TODAY + timedelta(days=20),
                                    ends_on=TODAY + timedelta(days=27), note="Family holiday")  # fmt: skip
    with pytest.raises(ValidationError, match="not available .*Family holiday"):
        book(breaks, TODAY + timedelta(days=18), nights=3)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"starts_on": TODAY - timedelta(days=1), "ends_on": TODAY + timedelta(days=1)}, "starts_on",
         "A new booking cannot be in the past."),
        ({"starts_on": TODAY + timedelta(days=3), "ends_on": TODAY + timedelta(days=3)}, "ends_on",
         "The day they leave must be after the day they arrive."),
        ({"starts_on": TODAY + timedelta(days=3), "ends_on": TODAY + timedelta(days=4), "full_days": 2}, "full_days",
         "There cannot be more full days than nights."),
    ],
)  # fmt: skip
def test_bad_booking_dates_say_what_is_wrong(scheme, kwargs, field, message):
    breaks = start(scheme, PersonFactory(scheme=scheme), approved(scheme, "Hughes"))
    with pytest.raises(ValidationError) as refused, scope(scheme=scheme):
        services.booking_create(arrangement=breaks, by=None, **kwargs)
    assert refused.value.message_dict == {field: [message]}


def test_a_session_length_that_is_not_offered_is_refused(scheme):
    days = start(scheme, PersonFactory(scheme=scheme), approved(scheme, "Hughes"), type="day_support")
    with pytest.raises(ValidationError) as refused:
        book(days, TODAY + timedelta(days=2), session_hours=5)
    assert refused.value.message_dict == {"session_hours": ["Choose a session of 4, 6 or 8 hours."]}
    assert book(days, TODAY + timedelta(days=2), session_hours=6).session_hours == 6


def test_time_limited_and_live_in_arrangements_need_their_details(scheme, band):
    home = approved(scheme, "Hughes", terms_support_types=["long_term", "step_down"])
    with pytest.raises(ValidationError) as refused:
        start(scheme, PersonFactory(scheme=scheme), home, type="step_down", band=band)
    assert "planned_end_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        start(scheme, PersonFactory(scheme=scheme), home, type="long_term")
    assert "fee_band" in refused.value.message_dict


def test_ending_frees_the_place_from_the_next_day_and_cancels_later_bookings(scheme, band):
    home = approved(scheme, "Hughes", terms_max_people=1)
    person = PersonFactory(scheme=scheme)
    living = start(scheme, person, home, type="long_term", band=band, starts_on=TODAY - timedelta(days=200))
    with scope(scheme=scheme):
        with pytest.raises(ValidationError) as refused:
            services.arrangement_end(arrangement=living, ended_on=TODAY - timedelta(days=201), reason="planned",
                                     by=None)  # fmt: skip
        assert "ended_on" in refused.value.message_dict
        services.arrangement_end(arrangement=living, ended_on=TODAY + timedelta(days=9), reason="own_home", by=None)
    other = start(scheme, PersonFactory(scheme=scheme), home)
    with pytest.raises(ValidationError, match="more than 1 at once"):
        book(other, TODAY + timedelta(days=9), nights=1)
    booked = book(other, TODAY + timedelta(days=10), nights=2)
    with scope(scheme=scheme):
        services.arrangement_end(arrangement=other, ended_on=TODAY + timedelta(days=5), reason="planned", by=None)
        booked.refresh_from_db()
        person.refresh_from_db()
    assert (booked.status, booked.cancelled_reason) == ("cancelled", "The arrangement ended.")
    assert person.status == Person.Status.ENDED


@pytest.mark.django_db(transaction=True)
def test_ten_coordinators_booking_the_last_place_at_once_only_one_succeeds():
    """SECURITY.md: N parallel confirmations for k free places -> exactly k succeed (row lock on the household)."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL for real row locks: set DATABASE_URL=postgres://... (CI does)")
    from tests.conftest import make_side

    scheme = make_side("race").scheme
    home = approved(scheme, "Last place", terms_max_people=1)
    arrangements = [start(scheme, PersonFactory(scheme=scheme), home) for _ in range(10)]
    day = TODAY + timedelta(days=14)
    barrier, outcomes = threading.Barrier(10), []

    def confirm(arrangement):
        try:
            barrier.wait()
            book(arrangement, day, nights=1)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()  # this thread's own connection, so the test database can be dropped afterwards

    threads = [threading.Thread(target=confirm, args=(a,)) for a in arrangements]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["booked"] + ["refused"] * 9
    with scopes_disabled():
        assert Booking.objects.filter(household=home, status="confirmed").count() == 1


# --- Reviews and monitoring visits ------------------------------------------------------------------------------------


def test_reviews_and_visits_are_planned_from_the_start_and_each_review_plans_the_next(scheme, band, world):
    home = approved(scheme, "Hughes")
    living = start(scheme, PersonFactory(scheme=scheme), home, type="long_term", band=band)
    with scopes_disabled():
        planned = list(Visit.objects.filter(arrangement=living).values_list("kind", "due_on"))
    first_review = ("review", TODAY + timedelta(weeks=6))  # scheme default: first review after 6 weeks
    assert first_review in planned
    assert sum(1 for kind, _ in planned if kind == "monitoring") == 6  # monthly for the first 6 months
    with scope(scheme=scheme), time_machine.travel(TODAY + timedelta(weeks=6, days=2)):
        review = Visit.objects.get(arrangement=living, kind="review")
        with pytest.raises(ValidationError) as refused:
            services.visit_record(visit=review, done_on=timezone.localdate(), by=None)
        assert refused.value.message_dict == {"outcome": ["Record the review's outcome."]}
        done_on = timezone.localdate()
        services.visit_record(visit=review, done_on=done_on, by=None, outcome="continue",
                              person_view="I like it here, especially the dog walks.")  # fmt: skip
        upcoming = Visit.objects.filter(arrangement=living, kind="review", done_on__isnull=True).get()
    assert upcoming.due_on.year == done_on.year + 1 and upcoming.due_on.month == done_on.month


def test_the_due_list_shows_overdue_first_and_records_through_the_page(client, scheme, band, world):
    living = start(scheme, PersonFactory(scheme=scheme), approved(scheme, "Hughes"), type="long_term", band=band)
    with scopes_disabled():
        late = Visit.objects.create(scheme=scheme, arrangement=living, kind="monitoring",
                                    due_on=TODAY - timedelta(days=4))  # fmt: skip
    client.force_login(world.a.user(Role.COORDINATOR))
    page = client.get(reverse("matching:visits_due", args=["alpha"])).content.decode()
    assert page.index("Overdue") < page.index("Hughes")
    url = reverse("matching:visit_record", args=["alpha", late.pk])
    future = client.post(url, {"done_on": TODAY + timedelta(days=1)})
    assert future.context["form"].errors["done_on"] == ["This date cannot be in the future."]
    assert client.post(url, {"done_on": TODAY, "carer_view": "Settling in well"}).status_code == 302
    with scopes_disabled():
        late.refresh_from_db()
    assert (late.done_on, late.carer_view) == (TODAY, "Settling in well")


# --- Incidents and safeguarding -----------------------------------------------------------------------------------


def test_incidents_are_only_for_roles_that_may_see_safeguarding(client, world):
    arrangement_url = reverse("matching:arrangement_detail", args=["alpha", world.a.arrangement.pk])
    client.force_login(world.a.user(Role.READ_ONLY))
    page = client.get(arrangement_url).content.decode()
    assert "Incidents and concerns" not in page and world.a.incident.what_happened not in page
    assert client.get(reverse("matching:incident_list", args=["alpha"])).status_code == 403
    client.force_login(world.a.user(Role.COORDINATOR))
    assert "Incidents and concerns" in client.get(arrangement_url).content.decode()


def test_recording_an_incident_explains_what_is_missing_and_saves_nothing(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("matching:incident_create", args=["alpha"])
    data = {"arrangement": world.a.arrangement.pk, "occurred_at": f"{TODAY:%Y-%m-%d}T00:30", "category": "safeguarding",
            "severity": "high", "what_happened": "<script>alert(1)</script> Said money went missing.",
            "safeguarding_referral": "on"}  # fmt: skip
    refused = client.post(url, data)
    assert refused.context["form"].errors["safeguarding_reference"] == [
        "Give the council's reference for the referral."
    ]
    future = client.post(url, {**data, "safeguarding_reference": "SG-1", "occurred_at": "2099-01-01T10:00"})
    assert future.context["form"].errors["occurred_at"] == ["This cannot be in the future."]
    before = client.post(url, {**data, "safeguarding_reference": "SG-1", "occurred_at": "2020-01-01T10:00"})
    started = world.a.arrangement.starts_on
    assert before.context["form"].errors["occurred_at"] == [
        f"This is before the arrangement started ({started.day} {started:%b %Y})."]  # fmt: skip
    with scopes_disabled():
        assert Incident.objects.filter(scheme=world.a.scheme).count() == 1  # only the fixture's
    saved = client.post(url, {**data, "safeguarding_reference": "SG-1"})
    page = client.get(saved["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    with scopes_disabled():
        assert AuditEvent.objects.filter(what="incident", action="viewed", person=world.a.person).exists()


def test_the_incidents_list_says_how_many_follow_up_actions_are_still_open_and_whose_incident_it_is(client, world):
    owner = world.a.user(Role.COORDINATOR)
    # the world's incident has one open action; add one more open and one done
    IncidentActionFactory(incident=world.a.incident, owner=owner)
    IncidentActionFactory(incident=world.a.incident, owner=owner, done_on=TODAY)
    quiet = IncidentFactory(arrangement=world.a.arrangement, category="medication",
                            occurred_at=timezone.now() - timedelta(days=3))  # fmt: skip
    IncidentFactory(arrangement=world.a.arrangement, category="health", closed_on=TODAY, closure_note="Recovered.",
                    occurred_at=timezone.now() - timedelta(days=5))  # fmt: skip
    for _ in range(3):  # another scheme's open actions count for nothing here
        IncidentActionFactory(incident=world.b.incident, owner=world.b.user(Role.COORDINATOR))
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("matching:incident_list", args=["alpha"]) + "?all=1").content.decode()
    rows = [re.sub(r"\s+", " ", strip_tags(row)).strip() for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]]
    name = f"{world.a.person.display_name} · {world.a.household.name}"
    assert rows == [
        f"{timezone.localtime(world.a.incident.occurred_at):%-d %b %Y} Accident or injury Low {name} 2 actions open",
        f"{timezone.localtime(quiet.occurred_at):%-d %b %Y} Medication error Low {name} 0 actions open",
        f"{timezone.localtime() - timedelta(days=5):%-d %b %Y} Sudden illness or hospital admission Low {name} Closed",
    ]
    # The list reads no one's health or risks, nor any incident's account: those are on their own pages.
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert not {'"health"', '"risks"', '"what_happened"'} & set(re.findall(r'"[a-z_]+"', read))


def test_an_incident_closes_only_when_actions_are_done_and_the_regulator_told(world):
    scheme = world.a.scheme
    incident = IncidentFactory(arrangement=world.a.arrangement, regulator_notifiable=True)
    action = IncidentActionFactory(incident=incident, owner=world.a.user(Role.COORDINATOR))
    with scope(scheme=scheme):
        with pytest.raises(ValidationError, match="regulator must be notified"):
            services.incident_close(incident=incident, closed_on=TODAY, note="Resolved", by=None)
        services.incident_update(incident=incident, by=None, regulator_notified_on=TODAY)
        with pytest.raises(ValidationError, match="Every follow-up action must be done"):
            services.incident_close(incident=incident, closed_on=TODAY, note="Resolved", by=None)
        services.incident_action_done(item=action, done_on=TODAY)
        with pytest.raises(ValidationError) as refused:
            services.incident_close(incident=incident, closed_on=TODAY, note=" ", by=None)
        assert refused.value.message_dict == {"note": ["Say how it was resolved."]}
        services.incident_close(incident=incident, closed_on=TODAY, note="Police and council involved; safe now.",
                                by=None)  # fmt: skip
        incident.refresh_from_db()
    assert incident.closed_on == TODAY


# --- Money, to the penny --------------------------------------------------------------------------------------------

RATES = Rates(night=Decimal("85.00"), full_day=Decimal("30.00"), introductory=Decimal("40.00"),
              sessions={4: Decimal("35.00"), 6: Decimal("52.50"), 8: Decimal("70.00")})  # fmt: skip


def test_pro_rata_is_a_seventh_of_the_week_a_day_rounded_half_up():
    assert pro_rata(Decimal("450.00"), 21) == Decimal("1350.00")
    assert pro_rata(Decimal("450.00"), 30) == Decimal("1928.57")  # 1928.571…
    assert pro_rata(Decimal("372.00"), 3) == Decimal("159.43")  # 159.428…
    assert pro_rata(Decimal("115.50"), 1) == Decimal("16.50")


def test_a_month_of_payments_on_worked_examples(quiet_scheme):
    """November 2026 (30 days), a household with a live-in person from the 10th, short breaks and day sessions."""
    scheme, band = quiet_scheme, band_of(quiet_scheme)
    with time_machine.travel(date(2026, 11, 1)):
        home = approved(scheme, "Hughes", terms_max_people=3)
        living = start(scheme, PersonFactory(scheme=scheme, given_name="Dai"), home, type="long_term", band=band,
                       starts_on=D("2026-11-10"), funder="nhs", weekly_rent=Decimal("115.50"),
                       weekly_contribution=Decimal("62.00"))  # fmt: skip
        november = D("2026-11-01")
        breaks = start(scheme, PersonFactory(scheme=scheme, given_name="Ann"), home, starts_on=november)
        book(breaks, D("2026-11-02"), nights=3, full_days=1)  # 3 x 85 + 30 = 285.00
        book(breaks, D("2026-11-29"), nights=3)  # 29th, 30th in November; 1 Dec in December
        days_a = start(scheme, PersonFactory(scheme=scheme, given_name="Bea"), home, type="day_support",
                       starts_on=november)  # fmt: skip
        days_b = start(scheme, PersonFactory(scheme=scheme, given_name="Cai"), home, type="day_support",
                       funder="direct_payment", starts_on=november)  # fmt: skip
        book(days_a, D("2026-11-03"), session_hours=6)  # alone: 52.50
        book(days_a, D("2026-11-05"), session_hours=6)  # first of two that day: 52.50
        book(days_b, D("2026-11-05"), session_hours=6)  # the extra person: 26.25
        book(days_b, D("2026-11-06"), session_hours=4, introductory=True)  # introductory: 40.00
        with scope(scheme=scheme):
            FeeRates.objects.create(scheme=scheme, short_break_night=Decimal("85.00"))
            run = services.payment_run_prepare(scheme=scheme, month=D("2026-11-01"), by=None)
            lines = defaultdict(Decimal)
            for line in run.lines.all():
                lines[(line.arrangement_id, line.part)] += line.amount
            invoices = {row["funder"]: row["total"] for row in services.selectors.invoices(run=run)}
    assert lines[(living.pk, "care_fee")] == Decimal("1350.00")  # 21 days x 450 / 7
    assert lines[(living.pk, "rent")] == Decimal("346.50")  # 21 x 115.50 / 7
    assert lines[(living.pk, "contribution")] == Decimal("186.00")  # 21 x 62 / 7
    assert lines[(breaks.pk, "care_fee")] == Decimal("455.00")  # 285 + 2 nights x 85
    assert lines[(days_a.pk, "care_fee")] == Decimal("105.00")  # 52.50 + 52.50
    assert lines[(days_b.pk, "care_fee")] == Decimal("66.25")  # 26.25 + 40.00
    assert invoices == {"council": Decimal("560.00"), "direct_payment": Decimal("66.25"), "nhs": Decimal("1350.00")}


def test_three_people_in_sessions_the_same_day_pay_one_and_a_half_twice_over():
    sessions = [_session(booking_id=n, arrangement_id=n, starts_on=D("2026-11-04"), session_hours=4) for n in (1, 2, 3)]
    amounts = [line.amount for line in month_lines(month=D("2026-11-01"), live_in=[], booked=sessions, rates=RATES)]
    assert amounts == [Decimal("35.00"), Decimal("17.50"), Decimal("17.50")]  # 35 + 50% + 50%


def _session(**fields):
    from matching.money import BookedDay

    return BookedDay(**{"household_id": 1, "funder": "council", "ends_on": fields["starts_on"], "full_days": 0,
                        "introductory": False, **fields})  # fmt: skip


def test_an_approved_month_is_locked(client, scheme, world):
    breaks = start(scheme, PersonFactory(scheme=scheme), approved(scheme, "Hughes"))
    booking = book(breaks, TODAY + timedelta(days=1), nights=1)
    month = booking.starts_on.replace(day=1)
    with scope(scheme=scheme):
        run = services.payment_run_prepare(scheme=scheme, month=month, by=None)
        services.payment_run_approve(run=run, by=None)
        with pytest.raises(ValidationError, match="approved and locked"):
            services.payment_run_prepare(scheme=scheme, month=month, by=None)
        with pytest.raises(ValidationError, match="approved and locked"):
            services.booking_cancel(booking=booking, reason="Unwell", by=None)
        before = list(PaymentLine.objects.filter(run=run).values_list("amount", flat=True))
    client.force_login(world.a.user(Role.FINANCE_OFFICER))
    response = client.post(reverse("matching:payment_runs", args=["alpha"]), {"month": f"{month:%Y-%m}"})
    assert "approved and locked" in response.content.decode()
    with scopes_disabled():
        assert list(PaymentLine.objects.filter(run=run).values_list("amount", flat=True)) == before


def test_statements_and_invoices_download_as_csv(client, quiet_scheme):
    scheme = quiet_scheme
    start(scheme, PersonFactory(scheme=scheme, given_name="Dai"), approved(scheme, "Hughes"), type="long_term",
          band=band_of(scheme), starts_on=TODAY.replace(day=1) - timedelta(days=40))  # fmt: skip
    with scope(scheme=scheme):
        run = services.payment_run_prepare(scheme=scheme, month=TODAY, by=None)
    client.force_login(MembershipFactory(scheme=scheme, role=Role.FINANCE_OFFICER).user)
    days = (TODAY.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    expected = pro_rata(Decimal("450.00"), days.day)
    response = client.get(reverse("matching:payment_statements_csv", args=[scheme.slug, run.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["household", "person", "funder", "part", "description", "amount"]
    assert rows[1][:4] == ["Hughes", "Dai Jones", "Council", "Care fee"] and rows[1][5] == str(expected)
    invoices_csv = client.get(reverse("matching:payment_invoices_csv", args=[scheme.slug, run.pk])).content.decode()
    invoices = list(csv.reader(io.StringIO(invoices_csv)))
    assert invoices[1] == ["Council", "1", str(expected)]


def test_negative_rates_are_refused_next_to_the_field(client, world):
    client.force_login(world.a.user(Role.FINANCE_OFFICER))
    url = reverse("matching:fees", args=["alpha"])
    response = client.post(url, {"short_break_night": "-5", "full_day_supplement": "30", "day_4_hours": "35",
                                 "day_6_hours": "52.50", "day_8_hours": "70", "introductory": "40"})  # fmt: skip
    assert response.context["form"].errors["short_break_night"] == ["Ensure this value is greater than or equal to 0."]
    band = client.post(reverse("matching:fee_band_add", args=["alpha"]), {"name": "Band 1", "weekly_rate": "-1"})
    assert "weekly_rate" in band.context["form"].errors


# --- The pages ------------------------------------------------------------------------------------------------------


def test_a_coordinator_records_an_arrangement_books_a_break_and_sees_it_on_the_calendar(client, scheme, world):
    home = approved(scheme, "Hughes")
    person = PersonFactory(scheme=scheme, given_name="Ann", family_name="Lloyd")
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("matching:arrangement_start", args=["alpha"])
    bad = client.post(url, {"person": person.pk, "household": home.pk, "type": "short_breaks", "starts_on": TODAY,
                            "funder": "council", "weekly_rent": "-3", "weekly_contribution": "0"})  # fmt: skip
    assert bad.context["form"].errors["weekly_rent"] == ["Ensure this value is greater than or equal to 0."]
    response = client.post(url, {"person": person.pk, "household": home.pk, "type": "short_breaks",
                                 "starts_on": TODAY, "funder": "council", "weekly_rent": "0",
                                 "weekly_contribution": "0", "carer_agreement_on": TODAY})  # fmt: skip
    detail = response["Location"]
    with scopes_disabled():
        arrangement = Arrangement.objects.get(person=person)
    book_url = reverse("matching:booking_create", args=["alpha", arrangement.pk])
    arrive = TODAY + timedelta(days=3)
    past = client.post(book_url, {"starts_on": TODAY - timedelta(days=2), "ends_on": arrive, "full_days": 0})
    assert past.context["form"].errors["starts_on"] == ["A new booking cannot be in the past."]
    client.post(book_url, {"starts_on": arrive, "ends_on": arrive + timedelta(days=2), "full_days": 1})
    page = client.get(detail).content.decode()
    assert "2 nights from" in page and "1 full day" in page
    calendar = client.get(reverse("matching:household_calendar", args=["alpha", home.pk]) + f"?month={arrive:%Y-%m}")
    text = calendar.content.decode()
    assert f"{arrive:%A} {arrive.day} {arrive:%B}" in text and "Ann Lloyd" in text


def test_bad_month_and_ids_in_urls_do_not_break_pages(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    calendar = reverse("matching:household_calendar", args=["alpha", world.a.household.pk])
    assert client.get(calendar + "?month=not-a-month").status_code == 200
    assert client.get(reverse("matching:arrangement_start", args=["alpha"]) + "?match=abc").status_code == 404


@pytest.mark.parametrize(
    "url_name",
    ["matching:arrangement_list", "matching:visits_due", "matching:incident_list", "matching:payment_runs"],
)
def test_lists_take_the_same_number_of_queries_for_one_or_many(client, world, url_name, band):
    scheme = world.a.scheme
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    url = reverse(url_name, args=["alpha"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        arrangement = start(scheme, PersonFactory(scheme=scheme), approved(scheme, f"Home {n}"), type="long_term",
                            band=band)  # fmt: skip
        IncidentFactory(arrangement=arrangement)
        with scopes_disabled():
            PaymentRun.objects.create(scheme=scheme, month=date(2025, n + 1, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)


@pytest.mark.parametrize("of", ["household", "person"])
def test_the_calendar_takes_the_same_number_of_queries_for_one_booking_or_many(client, world, of):
    scheme = world.a.scheme
    home = approved(scheme, "Hughes", terms_max_people=3)
    person = PersonFactory(scheme=scheme)
    breaks = start(scheme, person, home)
    client.force_login(world.a.user(Role.COORDINATOR))
    subject = home.pk if of == "household" else person.pk
    url = reverse(f"matching:{of}_calendar", args=["alpha", subject]) + f"?month={TODAY + timedelta(days=40):%Y-%m}"
    book(breaks, TODAY + timedelta(days=40), nights=1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        book(breaks, TODAY + timedelta(days=42 + 2 * n), nights=1)
    with scopes_disabled():
        Unavailability.objects.create(scheme=scheme, household=home, starts_on=TODAY + timedelta(days=55),
                                      ends_on=TODAY + timedelta(days=56))  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_today_counts_overdue_reviews_and_incidents_the_regulator_has_not_heard_of(client, world):
    arrangement = world.a.arrangement  # the world has one review due in 5 days and one open low-severity incident
    VisitFactory(arrangement=arrangement, kind="monitoring", due_on=TODAY - timedelta(days=3))
    VisitFactory(arrangement=arrangement, due_on=TODAY + timedelta(days=90))  # too far off to count
    VisitFactory(
        arrangement=arrangement, due_on=TODAY - timedelta(days=9), done_on=TODAY - timedelta(days=8), outcome="continue"
    )
    IncidentFactory(arrangement=arrangement, severity="high", regulator_notifiable=True)
    IncidentFactory(arrangement=world.b.arrangement, regulator_notifiable=True)  # another scheme's
    client.force_login(world.a.user(Role.COORDINATOR))
    response = client.get(reverse("dashboard", args=["alpha"]))
    counts = response.context["matching"]
    assert (counts["visits_overdue"], counts["visits_due_soon"]) == (1, 1)
    assert (counts["incidents_open"], counts["regulator_not_told"]) == (2, 1)
    assert "Incidents the regulator has not yet been told about" in response.content.decode()

    client.force_login(world.a.user(Role.FINANCE_OFFICER))  # no safeguarding permission: no incident lines
    page = client.get(reverse("dashboard", args=["alpha"])).content.decode()
    assert "Reviews and monitoring visits overdue" in page
    assert "Open incidents" not in page


@pytest.mark.parametrize("of", ["person", "household"])
def test_person_and_household_pages_list_their_arrangements_in_one_query(client, world, of, django_assert_num_queries):
    a = world.a
    url = a.person.get_absolute_url() if of == "person" else a.household.get_absolute_url()
    calendar = reverse(f"matching:{of}_calendar", args=["alpha", getattr(a, of).pk])
    client.force_login(a.user(Role.COORDINATOR))
    with CaptureQueriesContext(connection) as one:
        body = client.get(url).content.decode()
    assert calendar in body and a.arrangement.get_absolute_url() in body
    assert "Short breaks" in body

    for n in range(6):  # earlier arrangements with other households or people
        ArrangementFactory(
            scheme=a.scheme, starts_on=TODAY - timedelta(days=400 + n), ended_on=TODAY - timedelta(days=300),
            end_reason="own_home", **{of: getattr(a, of)},
        )  # fmt: skip
    with django_assert_num_queries(len(one)):
        body = client.get(url).content.decode()
    assert body.count("Ended</span>") == 6
