"""Project-level records: report files made in the background (a year's report, or the whole network's)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from schemes.models import Scheme

KEEP_DAYS = 7


class ReportFile(models.Model):
    """A report PDF made by a Celery job; private (downloaded only through a view that checks who asks) and deleted
    after a week."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        WORKING = "working", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be made")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=20)
    period_kind = models.CharField(max_length=10)
    period_first = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=8, default="en-gb")
    created_at = models.DateTimeField(default=timezone.now)

    # Network reports have no scheme: they are reached through the network pages, never a scheme's.
    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="report_progress_0_to_100", condition=models.Q(progress__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period_kind} from {self.period_first:%Y-%m}"

    @staticmethod
    def storage_name(name: str) -> str:
        return f"reports/{secrets.token_hex(16)}-{name}.pdf"
