"""Every app's reminder rules in the one daily sweep (eager, time frozen): reviews and visits due and overdue,
timesheets waiting, surveys due and unanswered, carers' annual reviews; each sent once; flat queries per scheme."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from carers.models import Household, Panel
from matching.models import Arrangement, Timesheet, Visit
from outcomes import services as outcome_services
from schemes import reminders
from schemes.i18n import day
from schemes.models import Notification
from schemes.permissions import Role
from schemes.tasks import reminder_sweep
from tests.factories import (
    ArrangementFactory,
    BookingFactory,
    PersonFactory,
    TimesheetFactory,
    VisitFactory,
    approved_household,
)

TODAY = timezone.localdate()


@pytest.fixture
def quiet(world):
    """A world where nothing is due, so each test makes exactly what it checks fall due."""
    with scopes_disabled():
        Visit.objects.all().delete()
        Timesheet.objects.all().delete()
        Arrangement.objects.update(starts_on=TODAY - timedelta(days=10))
        Notification.objects.all().delete()  # the world's own outbox example
    return world


def give_worker(household, worker) -> None:
    with scopes_disabled():
        Household.objects.filter(pk=household.pk).update(worker=worker)


def subjects(user) -> list[str]:
    with scopes_disabled():
        return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("subject", flat=True))


def sweep(day=TODAY, django_capture_on_commit_callbacks=None):
    with time_machine.travel(day):
        return reminder_sweep.apply().get()


def test_every_app_registers_its_rules_in_the_one_sweep():
    names = {name for name, _rule in reminders.rules()}
    assert names == {"carer checks", "carer annual review", "panel papers", "reviews and visits",
                     "timesheets waiting", "surveys due", "surveys not answered"}  # fmt: skip


def test_a_review_due_within_a_week_and_then_overdue_reminds_the_worker_once_each(quiet):
    worker = quiet.a.user(Role.COORDINATOR)
    give_worker(quiet.a.household, worker)
    VisitFactory(arrangement=quiet.a.arrangement, due_on=TODAY + timedelta(days=5))
    sweep()
    sweep()  # twice the same day: nothing more
    assert len(subjects(worker)) == 1 and "is due on" in subjects(worker)[0]
    sweep(TODAY + timedelta(days=6))
    assert len(subjects(worker)) == 2 and subjects(worker)[1].startswith("Overdue: Review for")


def test_a_household_without_a_worker_goes_to_everyone_who_manages_arrangements(quiet):
    VisitFactory(arrangement=quiet.a.arrangement, kind="monitoring", due_on=TODAY - timedelta(days=1))
    sweep()
    told = [r for r in Role.values if subjects(quiet.a.user(r))]
    assert told == [Role.COORDINATOR, Role.REGISTERED_MANAGER]
    assert subjects(quiet.b.user(Role.COORDINATOR)) == []  # another scheme hears nothing


def test_a_timesheet_waiting_three_days_reminds_once_and_an_approved_one_never(quiet):
    worker = quiet.a.user(Role.COORDINATOR)
    give_worker(quiet.a.household, worker)
    booking = BookingFactory(arrangement=quiet.a.arrangement, starts_on=TODAY - timedelta(days=6))
    TimesheetFactory(booking=booking, sent_at=timezone.now() - timedelta(days=2))
    sweep()
    assert subjects(worker) == []
    sweep(TODAY + timedelta(days=1))
    sweep(TODAY + timedelta(days=2))
    assert subjects(worker) == ["A timesheet from Household-alpha has waited 3 days for approval"]
    TimesheetFactory(booking=BookingFactory(arrangement=quiet.a.arrangement), status="approved",
                     sent_at=timezone.now() - timedelta(days=10))  # fmt: skip
    sweep(TODAY + timedelta(days=3))
    assert len(subjects(worker)) == 1


def test_a_survey_falling_due_and_a_link_left_unanswered_for_14_days_remind_the_worker(quiet):
    worker = quiet.a.user(Role.COORDINATOR)
    give_worker(quiet.a.household, worker)
    with scopes_disabled():
        Arrangement.objects.filter(pk=quiet.a.arrangement.pk).update(starts_on=TODAY - timedelta(days=180))
    sweep()
    assert [s for s in subjects(worker) if s.startswith("My Shared Life survey due for Person-alpha")]
    with scope(scheme=quiet.a.scheme):
        outcome_services.survey_create(scheme=quiet.a.scheme, person=quiet.a.person, by=worker)
    sweep(TODAY + timedelta(days=13))
    assert not [s for s in subjects(worker) if "has not answered" in s]
    sweep(TODAY + timedelta(days=15))
    sweep(TODAY + timedelta(days=16))
    assert len([s for s in subjects(worker) if "has not answered" in s]) == 1


def test_a_carer_annual_review_reminds_a_month_before_and_when_overdue(quiet):
    worker = quiet.a.user(Role.COORDINATOR)
    household = approved_household(quiet.a.scheme, "Morgan", worker=worker, next_review_on=TODAY + timedelta(days=25))
    sweep()
    sweep()
    assert subjects(worker) == ["The annual review of Morgan is due by " + f"{day(household.next_review_on)}."]
    sweep(TODAY + timedelta(days=26))
    assert len(subjects(worker)) == 2 and "overdue" in subjects(worker)[1]


def test_the_sweep_reads_the_same_number_of_queries_for_a_small_or_a_big_scheme(quiet, django_assert_num_queries):
    def quiet_sweep_queries():
        with CaptureQueriesContext(connection) as queries, scope(scheme=quiet.a.scheme):
            for _name, rule in reminders.rules():
                rule(quiet.a.scheme, TODAY)
        return len(queries)

    sweep()  # whatever was due is sent now; the next sweeps only read
    small = quiet_sweep_queries()
    for n in range(15):
        household = approved_household(quiet.a.scheme, f"Big {n}", next_review_on=TODAY + timedelta(days=200))
        ArrangementFactory(scheme=quiet.a.scheme, household=household, person=PersonFactory(scheme=quiet.a.scheme),
                           starts_on=TODAY - timedelta(days=10))  # fmt: skip
    assert quiet_sweep_queries() == small


def test_panel_members_hear_a_week_before_that_the_papers_are_ready(quiet):
    panel = quiet.a.panel  # the world's panel has one household on its agenda and two members
    with scopes_disabled():
        Panel.objects.filter(pk=panel.pk).update(meets_on=TODAY + timedelta(days=10))
    sweep()
    assert subjects(quiet.a.user(Role.PANEL_MEMBER)) == []
    sweep(TODAY + timedelta(days=3))
    sweep(TODAY + timedelta(days=4))
    expected = [f"Papers ready for the panel on {day(TODAY + timedelta(days=10))}: 1 household"]
    assert subjects(quiet.a.user(Role.PANEL_MEMBER)) == expected
    assert subjects(quiet.a.user(Role.REGISTERED_MANAGER)) == expected
    assert subjects(quiet.a.user(Role.COORDINATOR)) == []  # not a member of this panel
