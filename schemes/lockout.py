"""Lock-out after repeated failed sign-ins, per account (not only per address).

After MAX_FAILURES wrong passwords an account is locked for LOCK_MINUTES; even the right password is refused until
then, and the answer is the same as for a wrong password, so it reveals nothing. A manager can unlock it sooner.
"""

from datetime import timedelta

from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.utils import timezone

from .models import User

MAX_FAILURES = 5
LOCK_MINUTES = 15


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > timezone.now()


def sign_in_failed(email: str) -> None:
    """Count a failure in one conditional UPDATE (safe when many attempts arrive at once) and lock at the limit."""
    accounts = User.objects.filter(email__iexact=email)
    accounts.update(failed_sign_ins=F("failed_sign_ins") + 1)
    accounts.filter(failed_sign_ins__gte=MAX_FAILURES, locked_until__isnull=True).update(
        locked_until=timezone.now() + timedelta(minutes=LOCK_MINUTES)
    )


def sign_in_succeeded(user: User) -> None:
    if user.failed_sign_ins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_sign_ins=0, locked_until=None)


def unlock(user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_sign_ins=0, locked_until=None)


class LockoutBackend(ModelBackend):
    """Django's email-and-password check, refusing locked accounts as if the password were wrong."""

    def get_user(self, user_id):
        """As ModelBackend's (the signed-in user of each request, or None), read by a query written once."""
        from .selectors import user_by_pk

        user = user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        if is_locked(user):
            return False
        if user.locked_until is not None:  # the lock has run out: start counting afresh
            unlock(user)
            user.failed_sign_ins, user.locked_until = 0, None
        return super().user_can_authenticate(user)
