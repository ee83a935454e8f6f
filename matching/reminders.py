"""Matching's reminder rules: reviews and monitoring visits due within a week and overdue; timesheets waiting for
approval for three days. To the household's worker, or to the scheme's coordinators when it has none."""

from datetime import date, timedelta
from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from schemes.i18n import day, later
from schemes.models import Scheme
from schemes.reminders import already_sent, send_to_each
from schemes.selectors import staff_with_permission

from .models import Timesheet
from .selectors import visits_due

VISIT_RULE = "arrangement_visit"
TIMESHEET_RULE = "timesheet_waiting"
TIMESHEET_WAITING_DAYS = 3


class Recipients:
    """The household's worker, or (looked up once per run) everyone who may manage arrangements."""

    def __init__(self, scheme: Scheme):
        self.scheme, self._fallback = scheme, None

    def for_household(self, household) -> list:
        if household is not None and household.worker_id:
            return [household.worker]
        if self._fallback is None:
            self._fallback = list(staff_with_permission(scheme=self.scheme, permission="manage_arrangements"))
        return self._fallback


def send_visit_reminders(scheme: Scheme, today: date) -> int:
    due = list(visits_due(today=today, within_days=7).select_related("arrangement__household__worker"))
    if not due:
        return 0
    already = already_sent(VISIT_RULE, [f"visit:{v.pk}" for v in due])
    recipients = Recipients(scheme)
    sent = 0
    for visit in due:
        a = visit.arrangement
        threshold = "0" if visit.due_on < today else "7"
        words = gettext_lazy("Overdue: %(what)s for %(person)s with %(household)s (due %(date)s)") if threshold == "0" \
            else gettext_lazy("%(what)s for %(person)s with %(household)s is due on %(date)s")  # fmt: skip
        subject = later(words, what=visit.get_kind_display, person=a.person.display_name, household=a.household.name,
                        date=partial(day, visit.due_on))  # fmt: skip
        sent += send_to_each(scheme, rule=VISIT_RULE, about=f"visit:{visit.pk}", threshold=threshold,
                             recipients=recipients.for_household(a.household), already=already, subject=subject,
                             body=subject, link=a.get_absolute_url())  # fmt: skip
    return sent


def send_timesheet_reminders(scheme: Scheme, today: date) -> int:
    cutoff = timezone.now() - timedelta(days=TIMESHEET_WAITING_DAYS)
    waiting = list(
        Timesheet.objects.filter(status=Timesheet.Status.SENT, sent_at__lte=cutoff).select_related(
            "household__worker", "booking__person"
        )
    )
    if not waiting:
        return 0
    already = already_sent(TIMESHEET_RULE, [f"timesheet:{t.pk}" for t in waiting])
    recipients = Recipients(scheme)
    link = reverse("matching:timesheets", kwargs={"scheme_slug": scheme.slug})
    sent = 0
    for t in waiting:
        subject = later(gettext_lazy("A timesheet from %(household)s has waited %(days)s days for approval"),
                        household=t.household.name, days=TIMESHEET_WAITING_DAYS)  # fmt: skip
        body = later(
            gettext_lazy("%(person)s: %(booking)s."), person=t.booking.person.display_name, booking=t.booking.__str__
        )
        sent += send_to_each(scheme, rule=TIMESHEET_RULE, about=f"timesheet:{t.pk}", threshold="waiting",
                             recipients=recipients.for_household(t.household), already=already, subject=subject,
                             body=body, link=link)  # fmt: skip
    return sent
