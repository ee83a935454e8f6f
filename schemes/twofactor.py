"""Two-step sign-in: a six-digit code from an authenticator app (TOTP, RFC 6238) after the password.

Required for everyone who is not only a carer (staff, managers, panel members, network viewers, superusers); a carer
may turn it on for themselves and is then asked too. django-otp's `TOTPDevice` keeps the secret, refuses a code
already used (it remembers the last time step) and slows down repeated wrong codes. Backup codes are ours: ten
one-time codes, kept only as SHA-256 hashes, for when the phone is lost.

Whether this sign-in still owes a second step lives in the session, decided once at sign-in, so checking it costs
no query on each page: `TwoFactorMiddleware` sends anyone who owes it to `two_factor` before any other page.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import BackupCode, Membership, User
from .permissions import Role

SESSION_REQUIRED = "two_factor_required"
SESSION_DONE = "two_factor_done"
BACKUP_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read off paper


def required_for(user: User) -> bool:
    """Everyone but a carer-only account must use a second step; a carer who turned it on must too."""
    if has_app(user):
        return True
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    if user.is_superuser or user.is_network_viewer:
        return True
    return Membership.objects.filter(user=user, is_active=True).exclude(role=Role.CARER).exists()


def has_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def on_sign_in(request, user: User) -> None:
    """Called at every sign-in (the session key has just been changed): decide whether a second step is owed."""
    request.session[SESSION_REQUIRED] = required_for(user)
    request.session.pop(SESSION_DONE, None)


def owes_second_step(request) -> bool:
    return bool(request.session.get(SESSION_REQUIRED)) and not request.session.get(SESSION_DONE)


def mark_done(request) -> None:
    request.session.cycle_key()  # a new key once the sign-in is complete, as at the password step
    request.session[SESSION_DONE] = True


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed app being set up, made once and kept until confirmed, so reloading shows the same code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def check_code(user: User, code: str, *, confirming: bool = False) -> bool:
    """True when `code` is the current code of the user's app (or, signing in, an unused backup code).

    The device row is locked while checking, so the same code sent twice at once still works only once."""
    code = "".join(code.split()).lower()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=not confirming).first()
        if device is not None and code.isdigit() and device.verify_token(code):
            if confirming:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
            return True
    return not confirming and use_backup_code(user, code)


def new_backup_codes(user: User) -> list[str]:
    """Ten fresh codes, shown once; any older ones stop working."""
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(BACKUP_CODES)]
    with transaction.atomic():
        BackupCode.objects.filter(user=user).delete()
        BackupCode.objects.bulk_create(BackupCode(user=user, code_hash=_hash(code)) for code in codes)
    return [f"{code[:5]} {code[5:]}" for code in codes]


def use_backup_code(user: User, code: str) -> bool:
    """Spend one backup code: one conditional UPDATE, so a code works once even when sent twice at once."""
    return bool(
        BackupCode.objects.filter(user=user, code_hash=_hash(code), used_at__isnull=True).update(used_at=timezone.now())
    )


def backup_codes_left(user: User) -> int:
    return BackupCode.objects.filter(user=user, used_at__isnull=True).count()


def reset(user: User) -> None:
    """Forget the user's app and backup codes (a lost phone): they set up a new app at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    BackupCode.objects.filter(user=user).delete()


def _hash(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()
