"""The Celery app, configured from Django settings (CELERY_ namespace)."""

import os

from celery import Celery
from celery.signals import worker_process_init

from sharedlives.startup import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharedlives.settings.local")

app = Celery("sharedlives")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_startup_objects(**kwargs) -> None:
    freeze_startup_objects()
