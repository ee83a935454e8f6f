"""A real Celery worker process, against Redis and PostgreSQL, runs a job that writes to the database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django_scopes import scopes_disabled

from schemes.models import Notification
from schemes.permissions import Role
from schemes.tasks import notification_email
from sharedlives.celery import app as celery_app
from tests.conftest import skip_or_fail

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
    if not settings.REDIS_URL:
        skip_or_fail("needs Redis: set REDIS_URL=redis://... (CI does)")
    try:
        redis.Redis.from_url(settings.REDIS_URL).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis at REDIS_URL does not answer: {error}")


@pytest.fixture
def worker(live_services, tmp_path):
    """Start `celery worker` on a queue of its own, so no other worker on this Redis takes the test's jobs."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sharedlives.settings.local",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "false",
        "PYTHONUNBUFFERED": "1",  # the test reads the worker's log while it runs
    }
    command = [sys.executable, "-m", "celery", "-A", "sharedlives", "worker", "-l", "info", "-Q", queue,
               "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
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

    from carers.tasks import check_reminder_sweep
    from schemes.models import ReminderSent
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
    while time.monotonic() < deadline and log.read_text().count("check_reminder_sweep") < 4:  # 2 received, 2 done
        time.sleep(0.5)
    output = log.read_text()
    assert output.count("succeeded") >= 2, output[-3000:]
    with scopes_disabled():
        assert ReminderSent.objects.filter(scheme=world.a.scheme, threshold="30").count() == 1
        assert Notification.objects.filter(subject__startswith="Home insurance for Hughes").count() == 1
