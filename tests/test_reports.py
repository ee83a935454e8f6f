"""Manager reports: each renders to a tagged PDF whose text carries the figures the database holds for the period."""

import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from carers.models import Household
from matching.models import Arrangement, PaymentLine, Referral
from schemes.models import AuditEvent
from schemes.permissions import Role
from sharedlives.reports.periods import ReportPeriod
from tests.conftest import skip_or_fail
from tests.factories import ArrangementFactory, HouseholdFactory, PersonFactory, ReferralFactory, approved_household

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def needs_pdftotext():
    if not shutil.which("pdftotext"):
        skip_or_fail("pdftotext is not installed (apt-get install -y poppler-utils)")


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def download(client, report, period="month", start=None):
    start = start or f"{TODAY:%Y-%m}"
    response = client.get(reverse("reports:pdf", args=["alpha"]), {"report": report, "period": period, "start": start})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


def line_with(text: str, words: str) -> str:
    """The first line of the PDF's text that starts with these words (cells of a row share a line)."""
    return next(line for line in text.splitlines() if line.strip().startswith(words))


def test_periods_of_a_month_a_quarter_and_a_year():
    assert ReportPeriod.parse("quarter", "2026-11", today=TODAY).last == date(2027, 1, 31)
    assert ReportPeriod.parse("year", "2026-04", today=TODAY).last == date(2027, 3, 31)
    assert ReportPeriod.parse("month", "nonsense", today=date(2026, 1, 15)) == ReportPeriod("month", date(2025, 12, 1))


def test_the_overview_counts_what_the_database_holds(client, world):
    scheme = world.a.scheme
    this_month = TODAY.replace(day=1)
    for _ in range(3):
        ArrangementFactory(scheme=scheme, type="long_term", starts_on=this_month, person=PersonFactory(scheme=scheme))
    ArrangementFactory(scheme=scheme, type="day_support", starts_on=this_month, person=PersonFactory(scheme=scheme))
    ReferralFactory(scheme=scheme, person=PersonFactory(scheme=scheme), referred_on=this_month)
    HouseholdFactory(scheme=scheme, enquiry_on=this_month)
    client.force_login(world.a.user(Role.FINANCE_OFFICER))  # finance officers may download reports
    text = download(client, "overview")
    with scopes_disabled():
        active = Arrangement.objects.filter(scheme=scheme, starts_on__lte=TODAY).exclude(ended_on__lt=this_month)
        live_in = active.filter(type__in=["long_term", "step_down", "emergency", "interim"]).count()
        referrals = Referral.objects.filter(scheme=scheme, referred_on__gte=this_month, referred_on__lte=TODAY).count()
        enquiries = Household.objects.filter(scheme=scheme, enquiry_on__gte=this_month).count()
    assert "Scheme overview" in text and world.a.scheme.name in text and f"{TODAY:%B %Y}" in text
    assert line_with(text, "Live-in").split()[-1] == str(live_in) == "3"
    assert line_with(text, "Day support").split()[-1] == "1"
    assert line_with(text, "Referrals received").split()[-1] == str(referrals)
    assert line_with(text, "Enquiries in the period").split()[-1] == str(enquiries)
    assert "Page 1 of" in text


def test_compliance_lists_every_household_with_something_not_in_order(client, world):
    approved_household(world.a.scheme, "Morgan")  # approved with DBS and insurance only: the rest is missing
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    text = download(client, "compliance")
    assert "Compliance" in text and "Morgan" in text
    assert "Photo ID" in line_with(text, "Photo ID") and "Missing" in line_with(text, "Photo ID")
    assert "Reviews and monitoring visits overdue" in text


def test_outcomes_hide_small_groups(client, world):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    text = download(client, "outcomes")
    assert "fewer than 5 answers" in text and "Social life" in text


def test_money_adds_up_the_approved_months(client, world):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    run = world.a.statement_run  # approved, last month, £170.00 of care fees for the council
    text = download(client, "money", start=f"{run.month:%Y-%m}")
    assert f"{run.month:%B %Y}" in text
    assert "£170.00" in line_with(text, "Council")
    with scopes_disabled():
        PaymentLine.objects.create(run=run, household=world.a.household, arrangement=world.a.arrangement,
                                   funder="nhs", part="mileage", description="Mileage",
                                   amount=Decimal("5.63"))  # fmt: skip
    text = download(client, "money", start=f"{run.month:%Y-%m}")
    assert "£175.63" in line_with(text, "Total")


def test_a_report_download_is_audited_and_needs_permission(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))  # coordinators do not have view_reports
    assert client.get(reverse("reports:pdf", args=["alpha"]), {"report": "overview"}).status_code == 403
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    download(client, "overview")
    with scopes_disabled():
        downloads = AuditEvent.objects.filter(action="downloaded", what="report")
        assert downloads.filter(description__startswith="Scheme overview").exists()
    assert client.get(reverse("reports:pdf", args=["alpha"]), {"report": "nothing"}).status_code == 404


def test_the_monthly_job_emails_last_months_overview_to_registered_managers(world):
    from django.core import mail
    from django_celery_beat.models import PeriodicTask

    from sharedlives.tasks import monthly_manager_report

    quiet = world.b.user(Role.REGISTERED_MANAGER)
    quiet.email_choice = "none"
    quiet.save()
    assert monthly_manager_report.apply().get() == 2  # one job per scheme
    assert len(mail.outbox) == 1  # scheme B's only manager chose no emails
    message = mail.outbox[0]
    assert message.to == [world.a.user(Role.REGISTERED_MANAGER).email]
    last_month = ReportPeriod.last_month(TODAY)
    assert last_month.label in message.subject and world.a.scheme.name in message.subject
    name, data, kind = message.attachments[0]
    assert kind == "application/pdf" and name == f"overview-{last_month.first:%Y-%m}.pdf"
    assert "Scheme overview" in pdf_text(data) and last_month.label in pdf_text(data)
    task = PeriodicTask.objects.get(task="sharedlives.tasks.monthly_manager_report")
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_month) == ("6", "0", "1")


def test_the_inspection_pack_gathers_the_evidence_for_the_five_questions(client, world):
    from tests.factories import IncidentFactory

    IncidentFactory(arrangement=world.a.arrangement, severity="high", safeguarding_referral=True,
                    safeguarding_reference="SG-1", regulator_notifiable=True, occurred_at=timezone.now())  # fmt: skip
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    text = download(client, "inspection")
    for question in ("Safe", "Effective", "Caring", "Responsive", "Well-led"):
        assert question in text
    with scopes_disabled():
        from matching.models import Incident

        this_month = Incident.objects.filter(scheme=world.a.scheme, occurred_at__date__gte=TODAY.replace(day=1))
        recorded, referred = this_month.count(), this_month.filter(safeguarding_referral=True).count()
    assert line_with(text, "Incidents and concerns recorded").split()[-1] == str(recorded)
    assert line_with(text, "Referred to the council").split()[-1] == str(referred) == "1"
    assert line_with(text, "The regulator had to be told").replace(" ", "").endswith("1/0")  # to be told / told


def test_the_cost_comparison_on_a_worked_example(client, world):
    from matching.models import FeeBand
    from matching.reports import cost_comparison

    scheme = world.a.scheme
    with scopes_disabled():
        band = FeeBand.objects.create(scheme=scheme, name="Band 2", weekly_rate=Decimal("450.00"))
    june = date(2026, 6, 1)  # 30 days
    person = PersonFactory(scheme=scheme, alternative="residential")  # the scheme's £1,600 a week
    ArrangementFactory(scheme=scheme, person=person, type="long_term", starts_on=june, fee_band=band)
    hospital = PersonFactory(scheme=scheme, alternative="hospital", alternative_weekly=Decimal("3500.00"))
    ArrangementFactory(scheme=scheme, person=hospital, type="step_down", starts_on=date(2026, 6, 16),
                       planned_end_on=date(2026, 7, 31), fee_band=band)  # fmt: skip
    with scope(scheme=scheme):
        costs = cost_comparison(scheme=scheme, first=june, last=date(2026, 6, 30))
    rows = {label: row for label, *row in costs["rows"]}
    # long-term: £450 x 30/7 = £1,928.57 against £1,600 x 30/7 = £6,857.14 -> £4,928.57 avoided; a year is
    # x 365/30 of the unrounded difference (£4,928.5729 -> £59,964.30), rounded once at the end
    assert rows["Long-term (live-in)"] == [Decimal("1928.57"), Decimal("6857.14"), Decimal("4928.57"),
                                           Decimal("59964.30")]  # fmt: skip
    # step-down from 16 June: 15 days at £450 = £964.29 against the person's own £3,500 x 15/7 = £7,500.00
    assert rows["Step-down / intermediate care from hospital"][:3] == [Decimal("964.29"), Decimal("7500.00"),
                                                                        Decimal("6535.71")]  # fmt: skip
    assert costs["totals"][0] == Decimal("1928.57") + Decimal("964.29")


def test_a_years_report_is_made_in_the_background_then_downloaded_and_deleted_after_a_week(
    client, world, django_capture_on_commit_callbacks
):
    import time_machine

    from sharedlives.models import ReportFile
    from sharedlives.tasks import delete_old_report_files

    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    start = f"{TODAY.year - 1}-{TODAY.month:02d}"
    url = reverse("reports:pdf", args=["alpha"])
    with django_capture_on_commit_callbacks(execute=True):  # the job is queued once the request commits
        response = client.get(url, {"report": "overview", "period": "year", "start": start})
    with scopes_disabled():
        report = ReportFile.objects.exclude(pk=world.a.report_file.pk).get(scheme=world.a.scheme)
    assert response["Location"] == reverse("reports:file", args=["alpha", report.pk])
    status = client.get(response["Location"], {"format": "json"}).json()  # jobs run in-process in tests
    assert status["status"] == "ready" and status["progress"] == 100
    page = client.get(response["Location"]).content.decode()
    assert "Download the PDF" in page and "report-progress.js" in page
    text = pdf_text(b"".join(client.get(status["download"]).streaming_content))
    assert "Scheme overview" in text and world.a.scheme.name in text
    # another scheme's manager cannot reach it
    client.force_login(world.b.user(Role.REGISTERED_MANAGER))
    assert client.get(reverse("reports:file", args=["beta", report.pk])).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert delete_old_report_files.apply().get() >= 2  # this one and the world's
    with scopes_disabled():
        assert not ReportFile.objects.filter(pk=report.pk).exists()


def test_network_viewers_get_every_schemes_overview_together(client, world, django_capture_on_commit_callbacks):
    from schemes.models import User

    viewer = User.objects.create_user("net@example.org", "a long enough password", full_name="Net",
                                      is_network_viewer=True)  # fmt: skip
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network_report_request"), {"start": f"{TODAY.year - 1}-{TODAY.month:02d}"})
    status = client.get(response["Location"], {"format": "json"}).json()
    text = pdf_text(b"".join(client.get(status["download"]).streaming_content))
    assert "Every scheme together" in text and world.a.scheme.name not in text
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    assert client.get(response["Location"]).status_code == 403
