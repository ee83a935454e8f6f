"""Thin, idempotent jobs: ids in, a service call, safe to run twice."""

from celery import shared_task
from django_scopes import scopes_disabled

from .services import notification_email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=8)
def notification_email(notification_id: int) -> bool:
    # The notification id already pins the scheme; the job runs outside any web request.
    with scopes_disabled():
        return notification_email_send(notification_id=notification_id)
