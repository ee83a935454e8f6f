"""Carers' check reminders: each threshold once, to the right worker, safe to run twice, flat queries per scheme."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django_celery_beat.models import PeriodicTask
from django_scopes import scopes_disabled

from carers.models import Check, PanelItem
from carers.reminders import RULE as CHECK_RULE
from carers.reminders import send_check_reminders, threshold_for
from matching.models import Arrangement, Booking, Timesheet, Visit
from schemes.models import Notification, ReminderSent
from schemes.permissions import Role
from schemes.tasks import reminder_sweep as check_reminder_sweep
from tests.factories import CheckWithEvidenceFactory, HouseholdFactory, MemberFactory

TODAY = date(2027, 3, 1)
# Checks that no reminder is near on these tests' days, whatever the real today the test world's were done on.
FAR_OFF = {"done_on": TODAY - timedelta(days=300), "expires_on": TODAY + timedelta(days=400)}


@pytest.mark.parametrize(("days_left", "threshold"), [(90, None), (60, 60), (45, 60), (30, 30), (8, 30), (7, 7),
                                                      (1, 7), (0, 0), (-20, 0)])  # fmt: skip
def test_thresholds(days_left, threshold):
    assert threshold_for(days_left) == threshold


@pytest.fixture(autouse=True)
def only_checks_fall_due(request):
    """These tests are about checks: the test world's own visit, timesheet, survey and panel would otherwise fall due
    too. Its dates follow the real today and these tests' days are fixed, so whatever it holds meets them some day:
    its booking (timesheets due after it) and its panel's agenda (papers ready a week before) go as well."""
    if "world" in request.fixturenames:
        request.getfixturevalue("world")
        with scopes_disabled():
            Visit.objects.all().delete()
            Timesheet.objects.all().delete()
            Booking.objects.all().delete()
            PanelItem.objects.all().delete()
            Arrangement.objects.update(starts_on=TODAY)  # the first survey is six months after this
            Notification.objects.all().delete()  # the world's own outbox example


@pytest.fixture
def insurance(world):
    household = HouseholdFactory(scheme=world.a.scheme, name="Hughes", worker=world.a.user(Role.COORDINATOR))
    return CheckWithEvidenceFactory(household=household, done_on=TODAY - timedelta(days=300),
                                    expires_on=TODAY + timedelta(days=60))  # fmt: skip


def sweep_on(day: date, django_capture_on_commit_callbacks, rule: str = CHECK_RULE) -> int:
    """Run the whole daily sweep (every app's rules) on a day; how many reminders of one rule it sent."""
    with scopes_disabled():
        before = ReminderSent.objects.filter(rule=rule).count()
    with time_machine.travel(day), django_capture_on_commit_callbacks(execute=True):
        check_reminder_sweep.apply().get()
    with scopes_disabled():
        return ReminderSent.objects.filter(rule=rule).count() - before


def test_a_worker_is_reminded_at_60_30_and_7_days_and_on_expiry_once_each(
    world, insurance, django_capture_on_commit_callbacks
):
    with scopes_disabled():  # the world's own households' checks are far off, so only Hughes is reminded of
        Check.objects.exclude(pk=insurance.pk).update(**FAR_OFF)
    days = [TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=30), TODAY + timedelta(days=31),
            TODAY + timedelta(days=53), TODAY + timedelta(days=60), TODAY + timedelta(days=61)]  # fmt: skip
    sent = [sweep_on(day, django_capture_on_commit_callbacks) for day in days]
    assert sent == [1, 0, 1, 0, 1, 1, 0]
    with scopes_disabled():
        subjects = list(Notification.objects.order_by("pk").values_list("subject", flat=True))
    assert subjects == [
        "Home insurance for Hughes runs out in 60 days",
        "Home insurance for Hughes runs out in 30 days",
        "Home insurance for Hughes runs out in 7 days",
        "Home insurance for Hughes runs out in 0 days",
    ]
    assert [m.to for m in mail.outbox] == [["coordinator@alpha.example"]] * 4


def test_running_the_sweep_twice_on_the_same_day_sends_nothing_more(
    world, insurance, django_capture_on_commit_callbacks
):
    assert sweep_on(TODAY, django_capture_on_commit_callbacks) == 1
    assert sweep_on(TODAY, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_a_renewal_starts_its_own_reminders_and_the_old_check_falls_silent(
    world, insurance, django_capture_on_commit_callbacks
):
    sweep_on(TODAY, django_capture_on_commit_callbacks)
    with scopes_disabled():
        insurance.is_current = False
        insurance.save()
    CheckWithEvidenceFactory(household=insurance.household, done_on=TODAY, expires_on=TODAY + timedelta(days=365))
    assert sweep_on(TODAY + timedelta(days=31), django_capture_on_commit_callbacks) == 0


def test_a_quiet_sweep_takes_three_queries_whatever_the_schemes_size(world, django_assert_num_queries):
    for n in range(20):
        household = HouseholdFactory(scheme=world.a.scheme, worker=world.a.user(Role.COORDINATOR))
        CheckWithEvidenceFactory(household=household, done_on=TODAY - timedelta(days=300),
                                 expires_on=TODAY + timedelta(days=40 + n))  # fmt: skip
    from django_scopes import scope

    with scope(scheme=world.a.scheme), time_machine.travel(TODAY):
        assert send_check_reminders(scheme=world.a.scheme, today=TODAY) == 20  # writes: one claim + one note each
    # the checks due, the carers of those households who use the portal, the reminders already sent
    with scope(scheme=world.a.scheme), django_assert_num_queries(3):
        assert send_check_reminders(scheme=world.a.scheme, today=TODAY) == 0


@pytest.mark.django_db
def test_the_daily_sweep_is_scheduled_at_seven_uk_time():
    task = PeriodicTask.objects.get(task="schemes.tasks.reminder_sweep")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "0", "Europe/London")


def test_carers_who_use_the_portal_are_reminded_too_by_email_only_if_they_want(
    world, insurance, django_capture_on_commit_callbacks
):
    household = insurance.household
    wants = MemberFactory(household=household, full_name="Gwen Hughes", user=world.b.user(Role.CARER))
    quiet_user = world.a.user(Role.READ_ONLY)  # any account will do for the second carer's sign-in
    quiet_user.email_choice = "none"
    quiet_user.save()
    MemberFactory(household=household, full_name="Iwan Hughes", user=quiet_user)
    with scopes_disabled():
        Check.objects.exclude(pk=insurance.pk).update(**FAR_OFF)
    assert sweep_on(TODAY, django_capture_on_commit_callbacks) == 3  # the worker and both carers
    with scopes_disabled():
        notes = {n.recipient_id: n for n in Notification.objects.all()}
    assert set(notes) == {world.a.user(Role.COORDINATOR).pk, wants.user_id, quiet_user.pk}
    assert "carer portal" in notes[wants.user_id].body and "/portal/" in notes[wants.user_id].link
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.a.user(Role.COORDINATOR).email, wants.user.email])
    assert sweep_on(TODAY, django_capture_on_commit_callbacks) == 0


def test_a_check_long_expired_is_not_read_again_but_a_missed_expiry_still_goes_within_a_month(
    world, django_capture_on_commit_callbacks
):
    household = HouseholdFactory(scheme=world.a.scheme, name="Evans", worker=world.a.user(Role.COORDINATOR))
    with scopes_disabled():
        Check.objects.exclude(household=household).update(**FAR_OFF)
    CheckWithEvidenceFactory(household=household, kind="gas_safety", done_on=TODAY - timedelta(days=400),
                             expires_on=TODAY - timedelta(days=40))  # fmt: skip
    CheckWithEvidenceFactory(household=household, kind="insurance", done_on=TODAY - timedelta(days=370),
                             expires_on=TODAY - timedelta(days=5))  # fmt: skip
    assert sweep_on(TODAY, django_capture_on_commit_callbacks) == 1
    with scopes_disabled():
        assert list(Notification.objects.values_list("subject", flat=True)) == ["Expired: Home insurance for Evans"]
