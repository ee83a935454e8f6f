"""A real Celery worker process, against Redis and PostgreSQL, runs a job that writes to the database."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_scopes import scopes_disabled

from schemes.models import Notification
from schemes.permissions import Role
from schemes.tasks import notification_email
from sharedlives.celery import app as celery_app
from tests.conftest import need_redis, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.live_services, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def live_services():
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
    need_redis()


def start_worker(queue: str, log: Path, *, pool: str = "prefork") -> subprocess.Popen:
    """`celery worker` on a queue of its own (no other worker on this Redis takes the test's jobs), in its own
    process group so that a test can kill all of it at once."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sharedlives.settings.local",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "false",
        "PYTHONUNBUFFERED": "1",  # the test reads the worker's log while it runs
    }
    command = [sys.executable, "-m", "celery", "-A", "sharedlives", "worker", "-l", "info", "-Q", queue,
               "--concurrency=1", f"--pool={pool}", "--without-gossip", "--without-mingle",
               "--without-heartbeat"]  # fmt: skip
    with log.open("a") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


@pytest.fixture
def worker(live_services, tmp_path):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    process = start_worker(queue, log)
    celery_app.conf.task_always_eager = False
    try:
        yield queue, log
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        process.wait(timeout=30)


def test_a_real_worker_sends_the_email_and_records_it_in_postgres(world, worker):
    queue, log = worker
    with scopes_disabled():
        note = Notification.objects.create(
            scheme=world.a.scheme, recipient=world.a.user(Role.COORDINATOR), subject="Gas safety certificate due"
        )
    notification_email.apply_async(args=[note.pk], queue=queue)

    # The job claims the row (emailed_at) before it sends, so wait for the worker to report the job finished.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and "succeeded" not in log.read_text():
        time.sleep(0.5)
    output = log.read_text()
    assert "succeeded" in output, f"the worker did not finish the job in time:\n{output[-3000:]}"
    with scopes_disabled():
        note.refresh_from_db()
    assert note.emailed_at is not None
    assert "Subject: Gas safety certificate due" in output  # the console email backend in the worker
    assert note.email_attempts == 1


def test_a_real_worker_runs_the_reminder_sweep_twice_and_reminds_once(world, worker):
    from datetime import timedelta

    from django.utils import timezone

    from schemes.models import ReminderSent
    from schemes.tasks import reminder_sweep as check_reminder_sweep
    from tests.factories import CheckWithEvidenceFactory, HouseholdFactory

    queue, log = worker
    today = timezone.localdate()
    household = HouseholdFactory(scheme=world.a.scheme, name="Hughes", worker=world.a.user(Role.COORDINATOR))
    CheckWithEvidenceFactory(
        household=household, done_on=today - timedelta(days=300), expires_on=today + timedelta(days=10)
    )
    check_reminder_sweep.apply_async(queue=queue)
    check_reminder_sweep.apply_async(queue=queue)
    deadline = time.monotonic() + 90
    finished = re.compile(r"schemes\.tasks\.reminder_sweep\[[0-9a-f-]+\] succeeded")
    while time.monotonic() < deadline and len(finished.findall(log.read_text())) < 2:  # both runs done
        time.sleep(0.5)
    output = log.read_text()
    assert output.count("succeeded") >= 2, output[-3000:]
    with scopes_disabled():
        assert ReminderSent.objects.filter(scheme=world.a.scheme, threshold="30").count() == 1
        assert Notification.objects.filter(subject__startswith="Home insurance for Hughes").count() == 1


def test_a_worker_killed_in_the_middle_of_the_sweep_leaves_nothing_twice_and_nothing_lost(world, live_services,
                                                                                           tmp_path):  # fmt: skip
    """SIGKILL the worker while the daily sweep is writing reminders, start a new one, run the sweep again (as the
    next beat or an operator would): every reminder exists exactly once, each with its notification."""
    import signal
    from datetime import timedelta

    from django.utils import timezone

    from carers.models import Check, Household
    from schemes.models import ReminderSent
    from schemes.tasks import reminder_sweep

    today = timezone.localdate()
    worker_user = world.a.user(Role.COORDINATOR)
    worker_user.email_choice = "none"  # no emails to queue: this test is about the reminders themselves
    worker_user.save()
    with scopes_disabled():
        households = Household.objects.bulk_create(
            Household(scheme=world.a.scheme, name=f"Household {n:04d}", worker=worker_user, enquiry_on=today)
            for n in range(600)
        )
        done, expires = today - timedelta(days=355), today + timedelta(days=10)
        Check.objects.bulk_create(
            Check(household=h, kind="insurance", done_on=done, expires_on=expires) for h in households
        )
    expected = len(households)
    queue, log = f"test-{uuid.uuid4().hex[:8]}", tmp_path / "worker.log"
    first = start_worker(queue, log, pool="solo")
    celery_app.conf.task_always_eager = False
    try:
        reminder_sweep.apply_async(queue=queue)
        deadline = time.monotonic() + 120
        with scopes_disabled():
            sent = ReminderSent.objects.filter(rule="carer_check_expiry", recipient=worker_user)
            while time.monotonic() < deadline and sent.count() < 100:
                time.sleep(0.05)
            os.killpg(first.pid, signal.SIGKILL)  # mid-sweep: no chance to finish or clean up
            first.wait(timeout=30)
            halfway = sent.count()
        assert 0 < halfway < expected, f"the kill did not land mid-sweep ({halfway} of {expected})"

        second = start_worker(queue, log, pool="solo")
        try:
            reminder_sweep.apply_async(queue=queue)
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and log.read_text().count("succeeded") < 1:
                time.sleep(0.5)
            assert "succeeded" in log.read_text(), log.read_text()[-3000:]
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        celery_app.conf.task_always_eager = True
    with scopes_disabled():
        claims = ReminderSent.objects.filter(rule="carer_check_expiry", recipient=worker_user,
                                             about__in=[f"check:{c.pk}" for c in Check.objects.filter(
                                                 household__in=households)])  # fmt: skip
        notes = Notification.objects.filter(recipient=worker_user, subject__startswith="Home insurance for Household ")
        assert claims.count() == expected  # nothing lost
        assert notes.count() == expected  # each claim has exactly one notification: nothing twice
        assert notes.values("subject").distinct().count() == expected
