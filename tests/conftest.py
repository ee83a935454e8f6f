import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from matching.models import PaymentLine
from schemes.models import Notification
from schemes.permissions import Role
from sharedlives.models import ReportFile
from tests.factories import (
    PDF_BYTES,
    ArrangementFactory,
    BookingFactory,
    CheckWithEvidenceFactory,
    HouseholdFactory,
    IncidentActionFactory,
    IncidentFactory,
    MatchFactory,
    MemberFactory,
    MembershipFactory,
    PanelFactory,
    PanelItemFactory,
    PaymentRunFactory,
    PersonFactory,
    ReferralFactory,
    RenewalUploadFactory,
    SchemeFactory,
    TimesheetFactory,
    VisitFactory,
)

# CI sets this so that a test needing Postgres, Redis or Chromium fails instead of quietly skipping.
REQUIRE_ALL = os.environ.get("REQUIRE_ALL_TESTS") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (REQUIRE_ALL_TESTS=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def need_redis() -> None:
    """Skip (or fail, in CI) a test that needs the Redis of REDIS_URL when there is none or it does not answer."""
    import redis
    from django.conf import settings

    if not settings.REDIS_URL:
        skip_or_fail("needs Redis: set REDIS_URL=redis://... (CI does)")
    try:
        redis.Redis.from_url(settings.REDIS_URL).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis at REDIS_URL does not answer: {error}")


@dataclass
class Side:
    """One scheme with a member in every role and one person we support."""

    scheme: object
    members: dict = field(default_factory=dict)
    person: object = None
    household: object = None
    panel: object = None
    panel_item: object = None
    check: object = None
    referral: object = None
    match: object = None
    arrangement: object = None
    booking: object = None
    visit: object = None
    incident: object = None
    incident_action: object = None
    payment_run: object = None
    carer_member: object = None
    upload: object = None
    timesheet: object = None
    statement_run: object = None
    outbox_note: object = None
    report_file: object = None

    def user(self, role: str):
        return self.members[role].user


@dataclass
class World:
    a: Side
    b: Side


def make_side(slug: str, nation: str = "england") -> Side:
    scheme = SchemeFactory(slug=slug, name=f"{slug.title()} Shared Lives", nation=nation)
    side = Side(scheme=scheme)
    for role in Role.values:
        side.members[role] = MembershipFactory(
            scheme=scheme, role=role, user__email=f"{role}@{slug}.example", user__full_name=f"{role} {slug}"
        )
    side.person = PersonFactory(scheme=scheme, given_name=f"Person-{slug}")
    side.household = HouseholdFactory(scheme=scheme, name=f"Household-{slug}")
    side.panel = PanelFactory(scheme=scheme)
    side.panel.members.add(side.user(Role.PANEL_MEMBER), side.user(Role.REGISTERED_MANAGER))
    side.panel_item = PanelItemFactory(panel=side.panel, household=HouseholdFactory(scheme=scheme))
    side.check = CheckWithEvidenceFactory(household=side.household)
    side.referral = ReferralFactory(scheme=scheme, person=side.person)
    side.match = MatchFactory(referral=side.referral, household=side.household)
    side.arrangement = ArrangementFactory(scheme=scheme, person=side.person, household=side.household)
    side.booking = BookingFactory(arrangement=side.arrangement)
    side.visit = VisitFactory(arrangement=side.arrangement)
    side.incident = IncidentFactory(arrangement=side.arrangement)
    side.incident_action = IncidentActionFactory(incident=side.incident, owner=side.user(Role.COORDINATOR))
    side.payment_run = PaymentRunFactory(scheme=scheme)
    # The carer portal: the carer role's user is a carer of the side's household, with an approved month paid.
    side.carer_member = MemberFactory(household=side.household, full_name=f"Carer {slug}", user=side.user(Role.CARER))
    side.upload = RenewalUploadFactory(household=side.household, member=side.carer_member,
                                       uploaded_by=side.user(Role.CARER))  # fmt: skip
    side.timesheet = TimesheetFactory(booking=side.booking)
    side.statement_run = PaymentRunFactory(
        scheme=scheme, month=(timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1),
        status="approved", approved_at=timezone.now(),
    )  # fmt: skip
    PaymentLine.objects.create(run=side.statement_run, household=side.household, arrangement=side.arrangement,
                               funder="council", part="care_fee", description="Short breaks: 2 nights at £85.00",
                               amount=Decimal("170.00"))  # fmt: skip
    # An email that has not gone (read in the app already, so it does not crowd anyone's unread list).
    side.outbox_note = Notification._base_manager.create(scheme=scheme, recipient=side.user(Role.REGISTERED_MANAGER),
                                                   subject="Old reminder", read_at=timezone.now(), email_attempts=2,
                                                   email_error="SMTP 421: try later")  # fmt: skip
    side.report_file = ReportFile._base_manager.create(
        scheme=scheme, requested_by=side.user(Role.REGISTERED_MANAGER), name="overview", period_kind="year",
        period_first=timezone.localdate().replace(month=1, day=1), status="ready", progress=100,
    )  # fmt: skip
    side.report_file.file.save(ReportFile.storage_name("overview"), ContentFile(PDF_BYTES))
    return side


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (the bell's counts and the rate limits; the menus drawn by this process)."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def eager_jobs_are_not_part_of_the_page(monkeypatch):
    """Jobs run in-process in tests (CELERY_TASK_ALWAYS_EAGER), inside the request that queued them; in production
    each runs alone in a worker. So the N+1 check on pages (django-zeal) does not count a job's queries as the
    page's: ten notifications' email jobs each reading their own row is not a page reading ten rows one by one."""
    from celery.app.task import Task
    from zeal import zeal_ignore

    original = Task.apply

    def apply(self, *args, **kwargs):
        with zeal_ignore():
            return original(self, *args, **kwargs)

    monkeypatch.setattr(Task, "apply", apply)


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request in Welsh leaves Welsh active in this thread (as Django's LocaleMiddleware does); the next test starts
    in English again."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def force_login_includes_the_second_step(monkeypatch):
    """Django's `force_login` is the test shortcut past the password; here it also passes the second sign-in step
    (schemes/twofactor.py). Signing in for real, password then code, is tested in test_two_factor.py and in the
    browser tests, and `sign_in_with_password_only` shows every page is closed until the code is given."""
    from django.test import Client

    from schemes.twofactor import SESSION_DONE

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[SESSION_DONE] = True
        session["_refreshed"] = int(time.time())  # as just after signing in: the next minute's pages write nothing
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def world(db) -> World:
    """Built with the audit trail paused, as demo data is: the trail starts with what each test does."""
    from schemes.audit import audit_paused

    with audit_paused():
        return World(a=make_side("alpha"), b=make_side("beta", nation="wales"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        skip_or_fail("Chromium is not installed (apt-get install -y chromium)")
    # Playwright keeps an event loop running in the test thread for the whole session; the tests' own ORM calls
    # (and the database flush between tests) are still synchronous. Subprocesses in tests strip this again.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
