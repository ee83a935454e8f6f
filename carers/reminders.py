"""Carers' reminder rules: checks, certificates and training running out, at 60, 30 and 7 days and on the day.

The household's Shared Lives worker is reminded (the carer too, once the carer portal exists). Each reminder is
sent once per threshold; a renewal is a new check, so its own reminders start afresh.
"""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from schemes.models import ReminderSent, Scheme
from schemes.services import reminder_send

from .models import Check

THRESHOLDS = (0, 7, 30, 60)  # days before expiry; 0: it has expired
RULE = "carer_check_expiry"


def threshold_for(days_left: int) -> int | None:
    """The smallest threshold reached: 45 days left -> 60; 5 -> 7; -3 -> 0; 90 -> None."""
    return next((t for t in THRESHOLDS if days_left <= t), None)


def send_check_reminders(*, scheme: Scheme, today: date) -> int:
    """One scheme's sweep; a fixed number of reads whatever its size. Returns how many reminders were sent."""
    due = (
        Check.objects.filter(is_current=True, expires_on__lte=today + timedelta(days=max(THRESHOLDS)))
        .exclude(household__worker=None)
        .select_related("household__worker", "member")
    )
    due = list(due)
    already = set(
        ReminderSent.objects.filter(rule=RULE, about__in=[f"check:{c.pk}" for c in due]).values_list(
            "about", "threshold", "recipient_id"
        )
    )
    sent = 0
    for check in due:
        days_left = (check.expires_on - today).days
        threshold = threshold_for(days_left)
        household = check.household
        if (f"check:{check.pk}", str(threshold), household.worker_id) in already:
            continue
        what = check.get_kind_display() + (f" — {check.member.full_name}" if check.member else "")
        if days_left < 0:
            subject = _("Expired: %(what)s for %(household)s") % {"what": what, "household": household.name}
        else:
            subject = _("%(what)s for %(household)s runs out in %(days)s days") % {
                "what": what, "household": household.name, "days": days_left}  # fmt: skip
        body = _("%(what)s for %(household)s runs out on %(date)s. Record the renewal on the household's page.") % {
            "what": what,
            "household": household.name,
            "date": f"{check.expires_on:%d %B %Y}",
        }
        link = reverse("carers:household_detail", kwargs={"scheme_slug": scheme.slug, "pk": household.pk})
        sent += reminder_send(
            scheme=scheme, rule=RULE, about=f"check:{check.pk}", threshold=str(threshold),
            recipient=household.worker, subject=subject, body=body, link=link,
        )  # fmt: skip
    return sent
