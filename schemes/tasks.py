"""Thin, idempotent jobs: ids in, a service call, safe to run twice."""

from celery import shared_task
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from . import reminders
from .models import Scheme, User
from .services import digest_send, notification_email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=8)
def notification_email(notification_id: int) -> bool:
    # The notification id already pins the scheme; the job runs outside any web request.
    with scopes_disabled():
        return notification_email_send(notification_id=notification_id)


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1860)
def reminder_sweep() -> int:
    """Daily at 07:00: every app's reminder rules, one scheme at a time inside its scope. Safe to run twice, or
    again after a worker is killed half-way: each reminder is claimed once (a unique row) before it is sent."""
    today = timezone.localdate()
    sent = 0
    for scheme in Scheme.objects.filter(is_active=True).order_by("pk"):
        with scope(scheme=scheme):
            for _name, rule in reminders.rules():
                sent += rule(scheme, today)
    return sent


@shared_task(acks_late=True, soft_time_limit=3600, time_limit=3660)
def retention_sweep() -> dict[str, int]:
    """Nightly at 02:30: anonymise people whose retention period has passed, scheme by scheme. Safe to run twice:
    each person is locked and marked as they are done. Returns {scheme slug: people anonymised}."""
    from .retention import retention_run

    today = timezone.localdate()
    report = {}
    for scheme in Scheme.objects.filter(is_active=True).order_by("pk"):
        with scope(scheme=scheme):
            report[scheme.slug] = retention_run(scheme, today=today)
    return report


@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=8)
def digest_email(user_id: int) -> int:
    with scopes_disabled():
        return digest_send(user_id=user_id)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def weekly_digest() -> int:
    """Mondays at 07:30: one email each to everyone who chose the weekly digest (each is sent at most once)."""
    ids = list(User.objects.filter(is_active=True, email_choice=User.EmailChoice.DIGEST).values_list("pk", flat=True))
    for user_id in ids:
        digest_email.delay(user_id)
    return len(ids)
