"""Two-step sign-in (SECURITY.md: staff and managers use a second factor; a reused code is refused)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from schemes import twofactor
from schemes.models import AuditEvent, BackupCode
from schemes.permissions import Role
from tests.signin import current_code, second_step, sign_in_with_password_only

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 23, 12, 0, 5, tzinfo=UTC)


def dashboard():
    return reverse("dashboard", args=["alpha"])


def test_first_sign_in_sets_up_the_app_then_shows_ten_backup_codes_once(client, world):
    user = world.a.user(Role.COORDINATOR)
    sign_in_with_password_only(client, user)
    first = client.get(dashboard())
    assert first.status_code == 302 and first["Location"].startswith(reverse("two_factor"))
    page = client.get(first["Location"]).content.decode()
    assert "Set up two-step sign-in" in page
    assert 'role="img" aria-label="QR code to scan with your authenticator app"' in page
    key = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get(reverse("two_factor")).status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1, "reloading the page keeps the same key"
    assert key.config_url.startswith("otpauth://totp/Shared%20Lives")

    wrong = client.post(reverse("two_factor"), {"code": "000000" if current_code(user) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert client.get(dashboard()).status_code == 302, "still closed after a wrong code"

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # past the short wait after a wrong code
        done = client.post(reverse("two_factor") + f"?next={dashboard()}", {"code": current_code(user)})
        codes = done.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert "This is the only time they are shown" in done.content.decode()
        assert client.get(dashboard()).status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed
    assert BackupCode.objects.filter(user=user).count() == 10
    assert not any(code.replace(" ", "") in row.code_hash for row in BackupCode.objects.all() for code in codes)


def test_every_scheme_page_stays_closed_until_the_second_step(client, world):
    from tests.test_tenancy_matrix import URLS, url_for

    sign_in_with_password_only(client, world.a.user(Role.REGISTERED_MANAGER))
    for scheme_url in URLS:
        if scheme_url.permission == "public":
            continue
        url = url_for(scheme_url, world.a)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("two_factor")), (method, url)
    for page in ("home", "network", "account_security"):
        assert client.get(reverse(page))["Location"].startswith(reverse("two_factor"))


def test_a_code_already_used_is_refused_even_at_the_next_sign_in(client, world):
    user = world.a.user(Role.REGISTERED_MANAGER)
    with time_machine.travel(NOON, tick=False):
        sign_in_with_password_only(client, user)
        second_step(client, user)  # sets the app up with the code of this half-minute
        used = current_code(user)
        sign_in_with_password_only(client, user)
        again = client.post(reverse("two_factor"), {"code": used})
        assert again.status_code == 400
        assert client.get(dashboard()).status_code == 302
    with time_machine.travel(NOON + timedelta(seconds=35), tick=False):  # the app shows a new code
        assert client.post(reverse("two_factor"), {"code": current_code(user)}).status_code == 302
        assert client.get(dashboard()).status_code == 200


def test_a_backup_code_signs_in_once(client, world):
    user = world.a.user(Role.FINANCE_OFFICER)
    sign_in_with_password_only(client, user)
    client.get(reverse("two_factor"))
    codes = client.post(reverse("two_factor"), {"code": current_code(user)}).context["codes"]
    for attempt, expected in ((1, 302), (2, 400)):
        sign_in_with_password_only(client, user)
        with time_machine.travel(timezone.now() + timedelta(seconds=10 * attempt)):
            assert client.post(reverse("two_factor"), {"code": codes[0].upper()}).status_code == expected
    assert twofactor.backup_codes_left(user) == 9


def test_the_second_step_gives_a_new_session_key_and_a_wrong_code_is_in_the_audit_trail(client, world):
    user = world.a.user(Role.COORDINATOR)
    sign_in_with_password_only(client, user)
    before = client.session.session_key
    client.get(reverse("two_factor"))
    client.post(reverse("two_factor"), {"code": "12345x"})
    second_step(client, user)
    assert client.session.session_key != before
    with scopes_disabled():
        failed = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED, what="second sign-in step")
        assert list(failed.values_list("user", flat=True)) == [user.pk]


def test_the_code_that_confirmed_the_app_cannot_sign_in_again(world):
    user = world.a.user(Role.COORDINATOR)
    device = twofactor.enrolment_device(user)
    with time_machine.travel(NOON, tick=False):
        assert twofactor.check_code(user, current_code(user), confirming=True)
        device.refresh_from_db()
        assert device.confirmed
        assert not twofactor.check_code(user, current_code(user))


def test_carers_are_not_asked_unless_they_turn_it_on(client, world):
    carer = world.a.carer_member.user
    sign_in_with_password_only(client, carer)
    assert client.get(reverse("portal:home", args=["alpha"])).status_code == 200
    page = client.get(reverse("account_security")).content.decode()
    assert "Turn on two-step sign-in" in page
    second_step(client, carer)  # turns it on from that page
    assert twofactor.has_app(carer)
    sign_in_with_password_only(client, carer)
    assert client.get(reverse("portal:home", args=["alpha"]))["Location"].startswith(reverse("two_factor"))


def test_a_manager_resets_a_lost_phone_and_the_colleague_sets_up_again(client, world):
    colleague = world.a.user(Role.READ_ONLY)
    sign_in_with_password_only(client, colleague)
    second_step(client, colleague)
    manager = world.a.user(Role.REGISTERED_MANAGER)
    client.force_login(manager)
    staff = client.get(reverse("schemes:staff_list", args=["alpha"])).content.decode()
    assert "Reset (lost phone)" in staff
    membership = world.a.members[Role.READ_ONLY]
    client.post(reverse("schemes:member_two_factor_reset", args=["alpha", membership.pk]))
    assert not twofactor.has_app(colleague) and twofactor.backup_codes_left(colleague) == 0
    with scopes_disabled():
        assert AuditEvent.objects.filter(what="two-step sign-in reset", object_id=str(colleague.pk)).exists()
    sign_in_with_password_only(client, colleague)
    client.get(dashboard())
    assert "Set up two-step sign-in" in client.get(reverse("two_factor")).content.decode()


def test_new_backup_codes_replace_the_old_ones(client, world):
    user = world.a.user(Role.COORDINATOR)
    sign_in_with_password_only(client, user)
    client.get(reverse("two_factor"))
    old = client.post(reverse("two_factor"), {"code": current_code(user)}).context["codes"]
    new = client.post(reverse("two_factor_backup_codes")).context["codes"]
    assert set(old).isdisjoint(new)
    assert not twofactor.use_backup_code(user, old[0])
    assert twofactor.use_backup_code(user, new[0])


def test_when_the_setting_is_off_staff_sign_in_with_the_password_alone(client, world, settings):
    settings.TWO_FACTOR_REQUIRED = False
    sign_in_with_password_only(client, world.a.user(Role.COORDINATOR))
    assert client.get(dashboard()).status_code == 200


def test_the_account_pages_send_someone_signed_out_to_sign_in(client, world):
    for name, method in (("two_factor", "get"), ("account_security", "get"), ("two_factor_backup_codes", "post")):
        response = getattr(client, method)(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next="), name
