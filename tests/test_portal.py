"""The carer portal: invitation to first sign-in, only their own household, timesheets that pay mileage once
approved, renewal evidence that waits for staff, concerns that reach staff at once, answers to bookings, statements."""

import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from carers.models import Check, RenewalUpload
from matching import services as matching_services
from matching.models import Booking, Incident, PaymentLine, Timesheet
from outcomes.models import Survey
from schemes.dates import add_months
from schemes.models import Notification
from schemes.permissions import Role
from schemes.services import notification_create
from tests.conftest import skip_or_fail
from tests.factories import (
    PDF_BYTES,
    ArrangementFactory,
    BookingFactory,
    HouseholdFactory,
    MemberFactory,
    PersonFactory,
)

TODAY = timezone.localdate()


@pytest.fixture
def carer(world):
    """The carer's own browser session, apart from `client` (which tests use for staff)."""
    browser = Client()
    browser.force_login(world.a.user(Role.CARER))
    return browser


def url(name, *args):
    return reverse(f"portal:{name}", args=["alpha", *args])


def past_booking(side, days_ago=5, **extra):
    return BookingFactory(arrangement=side.arrangement, starts_on=TODAY - timedelta(days=days_ago), **extra)


def test_an_invited_carer_sets_a_password_and_lands_in_their_portal(client, world, django_capture_on_commit_callbacks):
    member = MemberFactory(household=world.a.household, full_name="Rhian Price")
    client.force_login(world.a.user(Role.COORDINATOR))
    invite = reverse("carers:member_invite", args=["alpha", member.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite, {"email": "Rhian@Example.org"})
    assert response.status_code == 302
    assert "uses the carer portal" in client.get(world.a.household.get_absolute_url()).content.decode()
    message = mail.outbox[-1]
    assert "carer portal" in message.subject and "expires in 3 days" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)

    client.post(reverse("logout"))
    form_page = client.get(link, follow=True)
    password = "four ordinary words together"
    client.post(form_page.request["PATH_INFO"], {"new_password1": password, "new_password2": password})
    assert client.login(username="rhian@example.org", password=password)
    home = client.get(reverse("home"), follow=True)
    assert home.request["PATH_INFO"] == url("home")
    assert "Hello, Rhian Price" in home.content.decode()
    # carers have the portal and nothing else
    assert client.get(reverse("dashboard", args=["alpha"])).status_code == 403
    assert client.get(reverse("schemes:person_list", args=["alpha"])).status_code == 403


def test_an_invitation_link_stops_working_after_three_days(client, world, django_capture_on_commit_callbacks):
    member = MemberFactory(household=world.a.household)
    client.force_login(world.a.user(Role.COORDINATOR))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("carers:member_invite", args=["alpha", member.pk]), {"email": "late@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[-1].body).group(1)
    client.post(reverse("logout"))
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        page = client.get(link, follow=True).content.decode()
    assert "new_password1" not in page


def test_staff_email_and_non_carers_cannot_be_invited(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    member = MemberFactory(household=world.a.household)
    staff_email = world.a.user(Role.READ_ONLY).email
    page = client.post(reverse("carers:member_invite", args=["alpha", member.pk]), {"email": staff_email})
    assert "belongs to a member of staff" in page.content.decode()
    child = MemberFactory(household=world.a.household, is_carer=False)
    page = client.post(reverse("carers:member_invite", args=["alpha", child.pk]), {"email": "kid@example.org"})
    assert "Only carers use the carer portal." in page.content.decode()


def test_the_home_page_shows_my_people_what_is_coming_and_what_to_do(carer, world):
    past = past_booking(world.a)
    page = carer.get(url("home")).content.decode()
    assert world.a.person.display_name in page
    assert "waiting for your answer" in page  # the world's booking in 10 days has not been accepted
    assert url("timesheet_send", past.pk) in page
    assert "Insurance" in page or "DBS" in page  # the world's household has checks missing


def test_the_home_page_says_who_lives_here_and_whose_survey_to_help_with(carer, world):
    from outcomes.services import survey_create

    a = world.a
    here = ArrangementFactory(scheme=a.scheme, household=a.household, type="long_term",
                              person=PersonFactory(scheme=a.scheme, given_name="Aled"),
                              starts_on=TODAY - timedelta(days=190))  # fmt: skip
    asked = ArrangementFactory(scheme=a.scheme, household=a.household, type="long_term",
                               person=PersonFactory(scheme=a.scheme, given_name="Bethan"),
                               starts_on=TODAY - timedelta(days=190))  # fmt: skip
    gone = ArrangementFactory(scheme=a.scheme, household=a.household, type="long_term",
                              person=PersonFactory(scheme=a.scheme, given_name="Carys"),
                              starts_on=TODAY - timedelta(days=400), ended_on=TODAY - timedelta(days=1),
                              end_reason="moved_on")  # fmt: skip
    with scope(scheme=a.scheme):
        survey_create(scheme=a.scheme, person=asked.person, by=None, due_on=TODAY - timedelta(days=5))
    page = carer.get(url("home")).content.decode()
    todo = page.split('id="todo-heading"', 1)[1].split("</section>", 1)[0]
    living = page.split('id="living-heading"', 1)[1].split("</section>", 1)[0]
    assert "Aled" in living and "Bethan" in living
    assert "Carys" not in living and a.person.display_name not in living  # ended; short breaks only
    assert f"Help {here.person.display_name} with the My Shared Life survey" in todo
    assert "Bethan" not in todo and "Carys" not in todo  # asked already; no longer here
    assert url("person", here.person_id) in todo
    assert gone.person.display_name not in page


def test_another_households_booking_or_person_is_not_found_and_extra_fields_are_ignored(carer, world):
    other = HouseholdFactory(scheme=world.a.scheme, name="Someone else")
    theirs = ArrangementFactory(scheme=world.a.scheme, household=other, person=PersonFactory(scheme=world.a.scheme))
    their_booking = BookingFactory(arrangement=theirs, starts_on=TODAY - timedelta(days=3))
    for name in ("timesheet_send", "booking_decline"):
        assert carer.get(url(name, their_booking.pk)).status_code == 404
        assert carer.post(url(name, their_booking.pk), {"miles": "5", "reason": "x"}).status_code == 404
    assert carer.post(url("booking_accept", their_booking.pk)).status_code == 404
    assert carer.get(url("person", theirs.person_id)).status_code == 404
    assert carer.post(url("survey", theirs.person_id)).status_code == 404
    with scopes_disabled():
        assert not Timesheet.objects.filter(booking=their_booking).exists()

    mine = past_booking(world.a)
    carer.post(url("timesheet_send", mine.pk), {"miles": "3", "household": other.pk, "status": "approved",
                                                "scheme": world.b.scheme.pk})  # fmt: skip
    with scopes_disabled():
        sent = Timesheet.objects.get(booking=mine)
    assert (sent.household_id, sent.status, sent.scheme_id) == (world.a.household.pk, "sent", world.a.scheme.pk)


def test_a_timesheet_with_mileage_is_paid_once_approved(carer, client, world):
    stay = BookingFactory(arrangement=world.a.arrangement, starts_on=TODAY.replace(day=1))  # this month, started
    response = carer.post(url("timesheet_send", stay.pk), {"miles": "12.5", "note": "Took Dai to the coast"})
    assert response.status_code == 302
    again = carer.post(url("timesheet_send", stay.pk), {"miles": "1"})
    assert "already been sent" in again.content.decode()
    with scopes_disabled():
        timesheet = Timesheet.objects.get(booking=stay, status="sent")

    manager = world.a.user(Role.REGISTERED_MANAGER)
    with scope(scheme=world.a.scheme):
        run = matching_services.payment_run_prepare(scheme=world.a.scheme, month=TODAY, by=manager)
        assert not run.lines.filter(part=PaymentLine.Part.MILEAGE).exists()  # not until approved
    client.force_login(world.a.user(Role.COORDINATOR))
    assert "Took Dai to the coast" in client.get(reverse("matching:timesheets", args=["alpha"])).content.decode()
    client.post(reverse("matching:timesheet_approve", args=["alpha", timesheet.pk]))
    with scope(scheme=world.a.scheme):
        run = matching_services.payment_run_prepare(scheme=world.a.scheme, month=TODAY, by=manager)
        mileage = run.lines.get(part=PaymentLine.Part.MILEAGE, household=world.a.household)
    assert mileage.amount == Decimal("5.63")  # 12.5 miles at £0.45 = £5.625, rounded half up
    assert "12.5 miles at £0.45" in mileage.description


def test_a_timesheet_sent_back_says_why_and_can_be_sent_again(carer, client, world):
    stay = past_booking(world.a)
    carer.post(url("timesheet_send", stay.pk), {"miles": "0"})
    with scopes_disabled():
        timesheet = Timesheet.objects.get(booking=stay)
    client.force_login(world.a.user(Role.COORDINATOR))
    empty = client.post(reverse("matching:timesheet_return", args=["alpha", timesheet.pk]), {"reason": ""})
    assert "This field is required." in empty.content.decode()
    client.post(reverse("matching:timesheet_return", args=["alpha", timesheet.pk]), {"reason": "Wrong dates"})
    page = carer.get(url("timesheets")).content.decode()
    assert "Sent back" in page and "Wrong dates" in page
    assert carer.post(url("timesheet_send", stay.pk), {"miles": "0"}).status_code == 302


def test_a_future_booking_cannot_have_a_timesheet_yet(carer, world):
    page = carer.post(url("timesheet_send", world.a.booking.pk), {"miles": "0"}).content.decode()
    assert "once the stay or session has started" in page


def test_renewal_evidence_waits_for_staff_who_record_the_check_or_send_it_back(carer, client, world):
    worker = world.a.user(Role.COORDINATOR)
    world.a.household.worker = worker
    world.a.household.save()
    certificate = SimpleUploadedFile("gas.pdf", PDF_BYTES, content_type="application/pdf")
    response = carer.post(url("upload"), {"kind": "gas_safety", "member": "", "evidence": certificate, "note": "New"})
    assert response.status_code == 302
    with scopes_disabled():
        upload = RenewalUpload.objects.filter(household=world.a.household, note="New").get()
        assert upload.status == "waiting"
        assert Notification.objects.filter(recipient=worker, subject__contains="sent evidence").exists()
    assert "Waiting for the scheme to check it" in carer.get(url("renewals")).content.decode()

    client.force_login(worker)
    household_page = client.get(world.a.household.get_absolute_url()).content.decode()
    assert "Sent from the carer portal, waiting for you" in household_page
    client.post(reverse("carers:upload_accept", args=["alpha", upload.pk]), {"done_on": TODAY.isoformat()})
    with scopes_disabled():
        check = Check.objects.get(household=world.a.household, kind="gas_safety", is_current=True)
        upload.refresh_from_db()
    assert check.evidence.name == upload.evidence.name and upload.status == "accepted"
    assert check.expires_on == add_months(TODAY, 12)  # gas safety: the usual year


def test_a_file_that_is_not_a_document_or_photo_is_refused_next_to_the_field(carer, world):
    fake = SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not really a pdf", content_type="application/pdf")
    page = carer.post(url("upload"), {"kind": "insurance", "member": "", "evidence": fake}).content.decode()
    assert 'id="error-summary"' in page
    with scopes_disabled():
        assert not RenewalUpload.objects.filter(household=world.a.household, kind="insurance").exists()


def test_sending_evidence_back_tells_the_carer_why(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    client.post(reverse("carers:upload_return", args=["alpha", world.a.upload.pk]), {"reason": "Too blurry"})
    with scopes_disabled():
        assert Notification.objects.filter(recipient=world.a.user(Role.CARER), body="Too blurry").exists()
    client.force_login(world.a.user(Role.CARER))
    assert "Too blurry" in client.get(url("home")).content.decode()


def test_a_concern_reaches_safeguarding_staff_at_once(carer, world):
    when = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)
    response = carer.post(url("concern"), {
        "person": world.a.person.pk, "category": "accident", "what_happened": "Dai slipped in the bath, no injury",
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"), "urgent": "on",
    })  # fmt: skip
    assert response.status_code == 302
    with scopes_disabled():
        incident = Incident.objects.get(what_happened__startswith="Dai slipped")
        told = set(
            Notification.objects.filter(subject__startswith="URGENT: Concern").values_list(
                "recipient__email", flat=True
            )
        )
    assert incident.severity == "high" and incident.arrangement == world.a.arrangement
    assert told == {world.a.user(Role.COORDINATOR).email, world.a.user(Role.REGISTERED_MANAGER).email}
    # someone not placed with them is not on the list
    stranger = PersonFactory(scheme=world.a.scheme)
    page = carer.post(url("concern"), {"person": stranger.pk, "category": "accident", "what_happened": "x",
                                       "occurred_at": when.strftime("%Y-%m-%dT%H:%M")}).content.decode()  # fmt: skip
    assert "Select a valid choice" in page


def test_declining_a_booking_frees_the_place_and_tells_staff(carer, world):
    booking = world.a.booking
    empty = carer.post(url("booking_decline", booking.pk), {"reason": ""})
    assert "This field is required." in empty.content.decode()
    carer.post(url("booking_decline", booking.pk), {"reason": "We are away that weekend"})
    with scopes_disabled():
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED and "We are away" in booking.cancelled_reason
        assert Notification.objects.filter(subject__contains="declined").exists()


def test_an_accepted_booking_cannot_be_declined_in_the_portal(carer, world):
    carer.post(url("booking_accept", world.a.booking.pk))
    page = carer.post(url("booking_decline", world.a.booking.pk), {"reason": "changed my mind"}).content.decode()
    assert "please phone the scheme" in page
    assert "waiting for your answer" not in carer.get(url("home")).content.decode()


def test_the_person_page_has_what_carers_need_and_never_the_restricted_fields(carer, world):
    person = world.a.person
    person.what_matters, person.risks, person.health = "My budgie, Joey", "SECRET-RISK", "SECRET-HEALTH"
    person.contacts = "Sister: Bethan 07700 900123"
    person.save()
    page = carer.get(url("person", person.pk)).content.decode()
    assert "My budgie, Joey" in page and "Bethan 07700 900123" in page
    assert "SECRET-RISK" not in page and "SECRET-HEALTH" not in page


def test_a_carer_opens_the_survey_with_the_person_recorded_as_helped_by_the_carer(carer, world):
    response = carer.post(url("survey", world.a.person.pk))
    assert "/my-shared-life/" in response["Location"] and response["Location"].endswith("/1/")
    with scopes_disabled():
        survey = Survey.objects.get(person=world.a.person)
    assert survey.help_mode == "carer" and survey.created_by == world.a.user(Role.CARER)
    assert carer.get(response["Location"]).status_code == 200


def test_the_payment_statement_downloads_as_a_pdf_with_the_amounts(carer, world):
    if not shutil.which("pdftotext"):
        skip_or_fail("pdftotext is not installed (apt-get install -y poppler-utils)")
    payments = carer.get(url("payments")).content.decode()
    assert "£170.00" in payments
    response = carer.get(url("statement", world.a.statement_run.pk))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()  # fmt: skip
    assert "Payment statement" in text and "170.00" in text and "Short breaks: 2 nights" in text
    # a month the household was not paid is not found
    assert carer.get(url("statement", world.a.payment_run.pk)).status_code == 404


def test_a_carer_chooses_no_emails_and_then_gets_messages_in_the_portal_only(
    carer, world, django_capture_on_commit_callbacks
):
    assert carer.get(url("settings")).context["form"].initial == {"email_choice": "each"}
    carer.post(url("settings"), {"email_choice": "none"})
    user = world.a.user(Role.CARER)
    user.refresh_from_db()
    assert user.email_choice == "none"
    with scope(scheme=world.a.scheme), django_capture_on_commit_callbacks(execute=True):
        note = notification_create(scheme=world.a.scheme, recipient=user, subject="Your gas certificate was sent back")
    assert note.email_wanted is False
    assert "Your gas certificate was sent back" in carer.get(url("home")).content.decode()


@pytest.mark.parametrize("which", ["home", "calendar"])
def test_home_and_calendar_take_the_same_queries_for_one_booking_or_many(carer, world, which,
                                                                         django_assert_num_queries):  # fmt: skip
    carer.get(url(which))  # the menu's bell count is cached from the first page on
    with CaptureQueriesContext(connection) as few:
        carer.get(url(which))
    for n in range(8):
        person = PersonFactory(scheme=world.a.scheme)
        arrangement = ArrangementFactory(scheme=world.a.scheme, household=world.a.household, person=person)
        BookingFactory(arrangement=arrangement, starts_on=TODAY + timedelta(days=n + 1))
        BookingFactory(arrangement=arrangement, starts_on=TODAY - timedelta(days=n + 1))
    with django_assert_num_queries(len(few)):
        carer.get(url(which))


def test_a_busy_home_page_shows_the_first_few_and_says_how_many_more(carer, world):
    """The world's household has one booking waiting for an answer (in ten days); twelve more come, and seven stays
    that are over with no timesheet. The page reads only the few it shows, and counts the rest."""
    for n in range(12):
        person = PersonFactory(scheme=world.a.scheme)
        arrangement = ArrangementFactory(scheme=world.a.scheme, household=world.a.household, person=person)
        BookingFactory(arrangement=arrangement, starts_on=TODAY + timedelta(days=n + 1))
        if n < 7:
            BookingFactory(arrangement=arrangement, starts_on=TODAY - timedelta(days=20 + n))
    page = carer.get(url("home")).content.decode()
    assert page.count("The scheme has booked") == 5
    assert "and 8 more bookings waiting for your answer" in page
    assert page.count("Send a timesheet:") == 5
    assert "and 2 more timesheets to send" in page
    assert "See the calendar for 3 more</a>" in page
