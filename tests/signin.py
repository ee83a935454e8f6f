"""Signing in as a person does: password, then the code from their authenticator app (schemes/twofactor.py)."""

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD


def current_code(user) -> str:
    """What the user's authenticator app shows now (their app being set up, if they have no other)."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed").first()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def sign_in_with_password_only(client, user) -> None:
    client.logout()
    assert client.login(username=user.email, password=PASSWORD)


def second_step(client, user) -> None:
    """Pass the second sign-in step as the person would: the code their app shows now (setting the app up first if
    they have none), typed on the two-step page."""
    client.get(reverse("two_factor"))  # makes the app's key when setting up
    response = client.post(reverse("two_factor"), {"code": code_to_type(user)})
    assert response.status_code in (200, 302), response.content.decode()[:500]


def code_to_type(user) -> str:
    """The app's code now; if this half-minute's code was used already (signing in twice in a row), a backup code,
    as a person would."""
    from django_otp.oath import TOTP

    from schemes.twofactor import new_backup_codes

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        now = TOTP(device.bin_key, device.step, device.t0, device.digits)
        if device.last_t >= now.t():
            return new_backup_codes(user)[0]
    return current_code(user)


def second_step_by_keyboard(page, user) -> None:
    """On the two-step page (setting up or asked), type the code and go on, by keyboard."""
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_code'")
    page.keyboard.type(code_to_type(user))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if page.locator("ul.backup-codes").count():  # the backup codes, in English or Welsh
        with page.expect_navigation():
            page.locator("main a.btn-primary").click()
