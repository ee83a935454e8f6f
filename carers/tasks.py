"""Carers' scheduled jobs. The daily sweep is `schemes.tasks.reminder_sweep`, which runs every app's rules
(carers registers its own in apps.py); this name is kept so that queued messages of older versions still run."""

from celery import shared_task

from schemes.tasks import reminder_sweep


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1860)
def check_reminder_sweep() -> int:
    return reminder_sweep()
