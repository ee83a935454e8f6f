"""Carers' check reminders: each threshold once, to the right worker, safe to run twice, flat queries per scheme."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django_celery_beat.models import PeriodicTask
from django_scopes import scopes_disabled

from carers.reminders import send_check_reminders, threshold_for
from carers.tasks import check_reminder_sweep
from schemes.models import Notification
from schemes.permissions import Role
from tests.factories import CheckWithEvidenceFactory, HouseholdFactory

TODAY = date(2027, 3, 1)


@pytest.mark.parametrize(("days_left", "threshold"), [(90, None), (60, 60), (45, 60), (30, 30), (8, 30), (7, 7),
                                                      (1, 7), (0, 0), (-20, 0)])  # fmt: skip
def test_thresholds(days_left, threshold):
    assert threshold_for(days_left) == threshold


@pytest.fixture
def insurance(world):
    household = HouseholdFactory(scheme=world.a.scheme, name="Hughes", worker=world.a.user(Role.COORDINATOR))
    return CheckWithEvidenceFactory(household=household, done_on=TODAY - timedelta(days=300),
                                    expires_on=TODAY + timedelta(days=60))  # fmt: skip


def sweep_on(day: date, django_capture_on_commit_callbacks) -> int:
    with time_machine.travel(day), django_capture_on_commit_callbacks(execute=True):
        return check_reminder_sweep.apply().get()


def test_a_worker_is_reminded_at_60_30_and_7_days_and_on_expiry_once_each(
    world, insurance, django_capture_on_commit_callbacks
):
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


def test_a_quiet_sweep_takes_two_queries_whatever_the_schemes_size(world, django_assert_num_queries):
    for n in range(20):
        household = HouseholdFactory(scheme=world.a.scheme, worker=world.a.user(Role.COORDINATOR))
        CheckWithEvidenceFactory(household=household, done_on=TODAY - timedelta(days=300),
                                 expires_on=TODAY + timedelta(days=40 + n))  # fmt: skip
    from django_scopes import scope

    with scope(scheme=world.a.scheme), time_machine.travel(TODAY):
        assert send_check_reminders(scheme=world.a.scheme, today=TODAY) == 20  # writes: one claim + one note each
    with scope(scheme=world.a.scheme), django_assert_num_queries(2):  # the checks due, the reminders already sent
        assert send_check_reminders(scheme=world.a.scheme, today=TODAY) == 0


@pytest.mark.django_db
def test_the_daily_sweep_is_scheduled_at_seven_uk_time():
    task = PeriodicTask.objects.get(task="carers.tasks.check_reminder_sweep")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "0", "Europe/London")
