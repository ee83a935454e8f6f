"""Carers' scheduled jobs: thin, idempotent, one scheme at a time inside its scope."""

from celery import shared_task
from django.utils import timezone
from django_scopes import scope

from schemes.models import Scheme

from .reminders import send_check_reminders


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def check_reminder_sweep() -> int:
    """Daily: remind workers of checks and training running out. Safe to run twice (each reminder is sent once)."""
    today = timezone.localdate()
    sent = 0
    for scheme in Scheme.objects.filter(is_active=True).order_by("pk"):
        with scope(scheme=scheme):
            sent += send_check_reminders(scheme=scheme, today=today)
    return sent
