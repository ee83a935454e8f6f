"""Real Chromium at 360 x 740: a carer's first sign-in from the invitation, sending a timesheet, sending renewal
evidence from the phone and reporting a concern; every portal page passes axe-core, fits the width and has touch
targets of at least 44 px. Screenshots are kept in test-artifacts/."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from carers import services as carer_services
from carers.models import RenewalUpload
from matching.models import Incident, Timesheet
from schemes.permissions import Role
from tests.browser import axe_violations, no_horizontal_scroll, screenshot, watch_csp
from tests.factories import PDF_BYTES, BookingFactory, MemberFactory
from tests.test_browser_staff import sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_360 = {"width": 360, "height": 740}

SMALL_TARGETS = """() => [...document.querySelectorAll('main a, main button, main input, main select, main textarea')]
  .filter(e => e.offsetParent !== null && e.type !== 'hidden')
  .filter(e => { const r = e.getBoundingClientRect();
                 const inline = getComputedStyle(e).display === 'inline' && e.tagName === 'A';
                 return !inline && (r.height < 44 || r.width < 44)
                        && !(e.type === 'radio' || e.type === 'checkbox'); })
  .map(e => e.tagName + ' ' + (e.innerText || e.name || e.id).trim().slice(0, 40))"""


def test_a_carer_signs_in_from_the_invitation_on_a_phone(world, live_server, browser):
    member = MemberFactory(household=world.a.household, full_name="Rhian Price")
    with scopes_disabled():
        carer_services.carer_invite(member=member, email="rhian@example.org", by=None, base_url=live_server.url)
    link = re.search(r"(http://\S+/accounts/reset/\S+)", mail.outbox[-1].body).group(1)
    page = browser.new_page(viewport=PHONE_360)
    page.goto(link)
    assert page.get_by_role("heading", name="Choose a password").is_visible()
    page.locator("#id_new_password1").fill("four ordinary words together")
    page.locator("#id_new_password2").fill("four ordinary words together")
    with page.expect_navigation():
        page.get_by_role("button", name="Save password").click()
    sign_in_by_keyboard(page, live_server.url, "rhian@example.org", password="four ordinary words together")
    assert page.get_by_role("heading", name="Hello, Rhian Price").is_visible()
    assert no_horizontal_scroll(page) and axe_violations(page) == []
    screenshot(page, "portal-first-sign-in-360")


def test_a_carer_sends_a_timesheet_evidence_and_a_concern_on_a_phone(world, live_server, browser, tmp_path):
    stay = BookingFactory(arrangement=world.a.arrangement, starts_on=timezone.localdate() - timedelta(days=4))
    page = browser.new_page(viewport=PHONE_360)
    blocked = watch_csp(page)
    sign_in_by_keyboard(page, live_server.url, world.a.user(Role.CARER).email)
    assert page.get_by_role("heading", name=re.compile("^Hello")).is_visible()
    screenshot(page, "portal-home-360")

    page.get_by_role("link", name=re.compile("Send a timesheet")).first.click()
    page.get_by_label("Miles you drove for the person (0 if none)").fill("14")
    page.get_by_label("Anything we should know (optional)").fill("Trip to Barry Island")
    screenshot(page, "portal-timesheet-360")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Timesheet sent.").is_visible()

    certificate = Path(tmp_path) / "gas-certificate.pdf"
    certificate.write_bytes(PDF_BYTES)
    page.goto(live_server.url + reverse("portal:upload", args=["alpha"]))
    page.get_by_label("What is it?").select_option("gas_safety")
    page.get_by_label(re.compile("Take a photo or choose a file")).set_input_files(str(certificate))
    screenshot(page, "portal-upload-360")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Sent. The scheme will check it").is_visible()

    page.goto(live_server.url + reverse("portal:concern", args=["alpha"]))
    page.get_by_label("What kind of thing?").select_option("health")
    page.get_by_label("What happened?").fill("Dai had a high temperature; we called 111.")
    screenshot(page, "portal-concern-360")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert page.get_by_text("The scheme has been told straight away.").is_visible()
    assert blocked == []

    with scopes_disabled():
        assert Timesheet.objects.get(booking=stay).miles == 14
        assert (
            RenewalUpload.objects.filter(household=world.a.household, kind="gas_safety", status="waiting").count() == 2
        )
        assert Incident.objects.filter(what_happened__startswith="Dai had a high temperature").exists()


PORTAL_PAGES = ["home", "calendar", "away", "timesheets", "renewals", "upload", "payments", "concern", "settings"]
PORTAL_PAGES_WITH_IDS = ["person", "booking_decline", "timesheet_send"]  # filled in below


def test_every_portal_page_passes_axe_fits_a_phone_and_has_big_enough_targets(world, live_server, browser):
    page = browser.new_page(viewport=PHONE_360)
    blocked = watch_csp(page)
    sign_in_by_keyboard(page, live_server.url, world.a.user(Role.CARER).email)
    urls = [reverse(f"portal:{name}", args=["alpha"]) for name in PORTAL_PAGES] + [
        reverse("portal:person", args=["alpha", world.a.person.pk]),
        reverse("portal:booking_decline", args=["alpha", world.a.booking.pk]),
    ]
    past = BookingFactory(arrangement=world.a.arrangement, starts_on=timezone.localdate() - timedelta(days=2))
    urls.append(reverse("portal:timesheet_send", args=["alpha", past.pk]))
    problems = {}
    for path in urls:
        page.goto(live_server.url + path)
        found = axe_violations(page)
        if not no_horizontal_scroll(page):
            found.append("scrolls sideways at 360 px")
        if small := page.evaluate(SMALL_TARGETS):
            found.append({"targets under 44 px": small})
        if found:
            problems[path] = found
    assert problems == {} and blocked == []
    page.goto(live_server.url + reverse("portal:person", args=["alpha", world.a.person.pk]))
    screenshot(page, "portal-person-360")
