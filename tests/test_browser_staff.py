"""Real Chromium: signing in by keyboard, and every foundation page accessible at phone and desktop widths."""

import pytest
from django.urls import reverse

from schemes.models import User
from schemes.permissions import Role
from tests.browser import DESKTOP, PHONE, axe_violations, no_horizontal_scroll, screenshot, watch_csp
from tests.factories import PASSWORD
from tests.signin import code_to_type, second_step_by_keyboard
from tests.test_tenancy_matrix import url_for
from tests.url_matrix import scheme_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_by_keyboard(page, base: str, email: str, *, password: str = PASSWORD) -> None:
    page.goto(base + reverse("login"))
    # The email field has focus (autofocus is applied after load, so wait for it rather than race it).
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert reverse("login") not in page.url, "sign-in failed"
    if reverse("two_factor") in page.url:
        second_step_by_keyboard(page, User.objects.get(email__iexact=email))
        assert reverse("two_factor") not in page.url, "the second step failed"


def test_setting_up_two_step_sign_in_by_keyboard_on_a_phone(world, live_server, browser):
    user = world.a.user(Role.COORDINATOR)
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Set up two-step sign-in").is_visible()
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    assert axe_violations(page) == [] and no_horizontal_scroll(page)
    screenshot(page, "two-step-set-up-phone")
    page.locator("#id_code").fill("000000" if code_to_type(user) != "000000" else "111111")
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-step sign-in").click()
    assert page.locator("#error_1_id_code").get_by_text("That code is not right").is_visible()
    page.wait_for_timeout(1100)  # each wrong code makes the next try wait a second longer
    page.locator("#id_code").fill(code_to_type(user))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-step sign-in").click()
    assert page.get_by_role("heading", name="Your backup codes").is_visible()
    assert page.get_by_role("list", name="Backup codes").get_by_role("listitem").count() == 10
    assert axe_violations(page) == [] and no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept them safe").click()
    assert page.get_by_role("heading", name="What needs doing today").is_visible()
    page.goto(live_server.url + reverse("account_security"))
    assert page.get_by_text("You have 10 unused backup codes.").is_visible()
    assert axe_violations(page) == []


def test_a_coordinator_signs_in_by_keyboard_on_a_phone(world, live_server, browser):
    page = browser.new_page(viewport=PHONE)
    sign_in_by_keyboard(page, live_server.url, world.a.user(Role.COORDINATOR).email)
    assert page.get_by_role("heading", name="What needs doing today").is_visible()
    page.keyboard.press("Tab")  # the skip link comes first and jumps past the menu
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert no_horizontal_scroll(page)
    screenshot(page, "foundation-dashboard-phone")


def test_a_wrong_password_is_explained_at_the_top_of_the_form(world, live_server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Email address").fill("coordinator@alpha.example")
    page.get_by_label("Password").fill("not-the-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert axe_violations(page) == []


PAGES = [
    ("login", None, None),
    ("password_reset", None, None),
    ("carers:public_enquiry", None, "scheme"),
    ("carers:public_enquiry_thanks", None, "scheme"),
    ("home", Role.COORDINATOR, None),
    ("dashboard", Role.REGISTERED_MANAGER, "scheme"),
    ("schemes:person_list", Role.COORDINATOR, "scheme"),
    ("schemes:person_create", Role.COORDINATOR, "scheme"),
    ("schemes:person_detail", Role.COORDINATOR, "person"),
    ("schemes:person_update", Role.COORDINATOR, "person"),
    ("schemes:staff_list", Role.REGISTERED_MANAGER, "scheme"),
    ("schemes:staff_add", Role.REGISTERED_MANAGER, "scheme"),
    ("schemes:settings", Role.REGISTERED_MANAGER, "scheme"),
    ("schemes:audit", Role.REGISTERED_MANAGER, "scheme"),
    ("schemes:notifications", Role.REGISTERED_MANAGER, "scheme"),
    ("carers:household_list", Role.REGISTERED_MANAGER, "scheme"),
    ("carers:household_create", Role.REGISTERED_MANAGER, "scheme"),
    ("carers:household_detail", Role.REGISTERED_MANAGER, "household"),
    ("carers:household_update", Role.REGISTERED_MANAGER, "household"),
    ("carers:check_add", Role.REGISTERED_MANAGER, "household"),
    ("carers:compliance", Role.REGISTERED_MANAGER, "scheme"),
    ("carers:carer_review", Role.REGISTERED_MANAGER, "household"),
    ("carers:terms_vary", Role.REGISTERED_MANAGER, "household"),
    ("carers:deapproval_refer", Role.REGISTERED_MANAGER, "household"),
    ("carers:panel_appeal", Role.REGISTERED_MANAGER, "panel_item"),
    ("carers:panel_list", Role.REGISTERED_MANAGER, "scheme"),
    ("carers:panel_create", Role.REGISTERED_MANAGER, "scheme"),
    ("carers:panel_detail", Role.REGISTERED_MANAGER, "panel"),
    ("carers:panel_decide", Role.REGISTERED_MANAGER, "panel_item"),
    ("schemes:place_add", Role.COORDINATOR, "person"),
    ("matching:board", Role.COORDINATOR, "scheme"),
    ("matching:referral_create", Role.COORDINATOR, "scheme"),
    ("matching:referral_detail", Role.COORDINATOR, "referral"),
    ("matching:referral_status", Role.COORDINATOR, "referral"),
    ("matching:match_detail", Role.COORDINATOR, "match"),
    ("matching:match_profile", Role.COORDINATOR, "match"),
    ("matching:arrangement_list", Role.REGISTERED_MANAGER, "scheme"),
    ("matching:arrangement_start", Role.REGISTERED_MANAGER, "scheme"),
    ("matching:arrangement_detail", Role.REGISTERED_MANAGER, "arrangement"),
    ("matching:arrangement_end", Role.REGISTERED_MANAGER, "arrangement"),
    ("matching:booking_create", Role.REGISTERED_MANAGER, "arrangement"),
    ("matching:booking_cancel", Role.REGISTERED_MANAGER, "booking"),
    ("matching:household_calendar", Role.REGISTERED_MANAGER, "household"),
    ("matching:person_calendar", Role.REGISTERED_MANAGER, "person"),
    ("matching:unavailability_add", Role.REGISTERED_MANAGER, "household"),
    ("matching:visits_due", Role.REGISTERED_MANAGER, "scheme"),
    ("matching:visit_record", Role.REGISTERED_MANAGER, "visit"),
    ("matching:incident_list", Role.REGISTERED_MANAGER, "scheme"),
    ("matching:incident_create", Role.REGISTERED_MANAGER, "scheme"),
    ("matching:incident_detail", Role.REGISTERED_MANAGER, "incident"),
    ("matching:incident_update", Role.REGISTERED_MANAGER, "incident"),
    ("matching:incident_action_add", Role.REGISTERED_MANAGER, "incident"),
    ("matching:incident_close", Role.REGISTERED_MANAGER, "incident"),
    ("matching:incident_action_done", Role.REGISTERED_MANAGER, "incident_action"),
    ("matching:fees", Role.REGISTERED_MANAGER, "scheme"),
    ("matching:fee_band_add", Role.REGISTERED_MANAGER, "scheme"),
    ("matching:payment_runs", Role.REGISTERED_MANAGER, "scheme"),
    ("matching:payment_run", Role.REGISTERED_MANAGER, "payment_run"),
    ("outcomes:results", Role.REGISTERED_MANAGER, "scheme"),
    ("schemes:outbox", Role.REGISTERED_MANAGER, "scheme"),
    ("reports:index", Role.REGISTERED_MANAGER, "scheme"),
    ("reports:file", Role.REGISTERED_MANAGER, "report_file"),
    ("matching:timesheets", Role.REGISTERED_MANAGER, "scheme"),
    ("outcomes:surveys_due", Role.REGISTERED_MANAGER, "scheme"),
    ("outcomes:person_results", Role.REGISTERED_MANAGER, "person"),
    ("schemes:subject_access", Role.REGISTERED_MANAGER, "person"),
    ("carers:household_advance", Role.REGISTERED_MANAGER, "household"),
    ("carers:household_end", Role.REGISTERED_MANAGER, "household"),
    ("carers:household_suspend", Role.REGISTERED_MANAGER, "household"),
    ("carers:household_lift", Role.REGISTERED_MANAGER, "household"),
    ("carers:member_add", Role.REGISTERED_MANAGER, "household"),
    ("carers:member_invite", Role.REGISTERED_MANAGER, "member"),
    ("carers:panel_agenda_add", Role.REGISTERED_MANAGER, "panel"),
    ("carers:upload_accept", Role.REGISTERED_MANAGER, "upload"),
    ("carers:upload_return", Role.REGISTERED_MANAGER, "upload"),
    ("matching:match_propose", Role.REGISTERED_MANAGER, "referral"),
    ("matching:match_step", Role.REGISTERED_MANAGER, "match"),
    ("matching:timesheet_return", Role.REGISTERED_MANAGER, "timesheet"),
    ("schemes:membership_edit", Role.REGISTERED_MANAGER, "membership"),
    ("carers:panel_recommend", Role.PANEL_MEMBER, "panel_item"),
]
SCHEME_URLS = {u.name: u for u in scheme_urls()}


WELSH_AT_200 = "welsh-200%"
# Text at 200%, as a browser's "text size" setting does it: the root font size, which every rem in the CSS follows.
TEXT_200 = "document.addEventListener('DOMContentLoaded', () => { document.documentElement.style.fontSize = '200%'; });"


@pytest.mark.parametrize("viewport", [PHONE, WELSH_AT_200], ids=["390px", "1280px-welsh-text-200%"])
def test_every_staff_page_passes_axe(world, live_server, browser, viewport):
    """Every page at a phone's width in English; and at a desktop's width (Bootstrap's breakpoints are in pixels, so
    the desktop layout) in Welsh (longer words) with text at 200% (WCAG 1.4.4), where nothing may be cut off or push
    the page sideways. A third sweep, desktop in English at 100 %, was dropped to keep CI under 15 minutes on slower
    machines (835 s with it); axe's rules do not depend on the language, and the network and password pages are
    still swept at both widths in English."""
    if viewport == WELSH_AT_200:
        User.objects.update(preferred_language="cy")
        context = browser.new_context(viewport=DESKTOP)
        context.add_init_script(TEXT_200)
    else:
        context = browser.new_context(viewport=viewport)
    page = context.new_page()
    blocked = watch_csp(page)
    signed_in_as = None
    problems = {}
    for name, role, needs in PAGES:
        if role and role != signed_in_as:
            context.clear_cookies()
            sign_in_by_keyboard(page, live_server.url, world.a.user(role).email)
            signed_in_as = role
        url = (
            url_for(SCHEME_URLS[name], world.a)
            if name in SCHEME_URLS
            else reverse(name, args=[world.a.scheme.slug] if needs else [])
        )
        page.goto(live_server.url + url)
        violations = axe_violations(page)
        if violations:
            problems[name] = violations
        if viewport is not DESKTOP and not no_horizontal_scroll(page):
            problems.setdefault(name, []).append(f"scrolls sideways ({viewport})")
        if blocked:
            problems.setdefault(name, []).extend(blocked)
            blocked.clear()
    if viewport == WELSH_AT_200:
        page.goto(live_server.url + reverse("carers:panel_detail", args=[world.a.scheme.slug, world.a.panel.pk]))
        assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "32px"
        assert page.locator("html").get_attribute("lang") == "cy"
        screenshot(page, "panel-welsh-text-200")
    assert problems == {}


def test_a_bad_form_gets_an_error_summary_that_links_to_the_field(world, live_server, browser):
    page = browser.new_page(viewport=PHONE)
    sign_in_by_keyboard(page, live_server.url, world.a.user(Role.COORDINATOR).email)
    page.goto(live_server.url + reverse("schemes:person_create", args=[world.a.scheme.slug]))
    page.get_by_label("First name").fill("Aled")
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    summary.get_by_role("link", name="Last name: This field is required.").click()
    assert page.evaluate("() => document.activeElement.id") == "id_family_name"
    assert axe_violations(page) == []
    screenshot(page, "foundation-person-form-errors-phone")


def test_a_long_bilingual_scheme_name_fits_a_phone_on_public_and_staff_pages(world, live_server, browser):
    scheme = world.a.scheme
    scheme.name = "Cysylltu Bywydau Bro Morgannwg a Chaerdydd Shared Lives Vale of Glamorgan and Cardiff"
    scheme.save()
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + reverse("carers:public_enquiry", args=[scheme.slug]))
    assert no_horizontal_scroll(page)
    sign_in_by_keyboard(page, live_server.url, world.a.user(Role.REGISTERED_MANAGER).email)
    assert no_horizontal_scroll(page)
    screenshot(page, "long-scheme-name-dashboard-phone")


def test_every_scheme_page_a_person_can_open_is_in_an_axe_sweep(client, world):
    """A new HTML page must join PAGES (or the portal's list) so it is checked in Chromium; POST-only URLs, redirects
    and downloads (PDF, CSV, zip) need not."""
    from schemes.permissions import ROLE_PERMISSIONS
    from tests.test_browser_portal import PORTAL_PAGES, PORTAL_PAGES_WITH_IDS
    from tests.test_tenancy_matrix import url_for
    from tests.url_matrix import scheme_urls

    swept = {name for name, _role, _needs in PAGES} | {f"portal:{n}" for n in PORTAL_PAGES + PORTAL_PAGES_WITH_IDS}
    missing = []
    for scheme_url in scheme_urls():
        if scheme_url.name in swept:
            continue
        role = next(r for r, granted in ROLE_PERMISSIONS.items() if scheme_url.permission in granted)
        client.force_login(world.a.user(role))
        response = client.get(url_for(scheme_url, world.a))
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            missing.append(scheme_url.name)
    assert missing == [], ", ".join(missing)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_network_pages_and_the_password_pages_pass_axe(world, live_server, browser, viewport):
    """The pages outside any scheme: the network viewer's pooled figures and report, and the password reset steps."""
    from django.utils import timezone

    from sharedlives.models import ReportFile
    from tests.factories import UserFactory

    analyst = UserFactory(email="analyst@network.example", is_network_viewer=True)
    report = ReportFile.objects.create(scheme=None, requested_by=analyst, name="overview", period_kind="year",
                                       period_first=timezone.localdate().replace(day=1))  # fmt: skip
    page = browser.new_context(viewport=viewport).new_page()
    blocked = watch_csp(page)
    problems = {}
    for name in ("password_reset_done", "password_reset_complete"):
        page.goto(live_server.url + reverse(name))
        if found := axe_violations(page):
            problems[name] = found
    sign_in_by_keyboard(page, live_server.url, analyst.email)
    for name, args in (("home", []), ("network", []), ("network_outcomes", []), ("network_report", [report.pk]),
                       ("account_security", [])):  # fmt: skip
        page.goto(live_server.url + reverse(name, args=args))
        found = axe_violations(page)
        if viewport is PHONE and not no_horizontal_scroll(page):
            found.append("scrolls sideways at 390 px")
        if found:
            problems[name] = found
    assert problems == {} and blocked == []
