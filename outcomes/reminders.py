"""My Shared Life reminder rules: a survey falling due (every 6 months from the arrangement's start), and a link not
answered 14 days after it was made. To the household's worker, or the scheme's coordinators when it has none."""

from datetime import date, timedelta
from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from matching.reminders import Recipients
from schemes.i18n import day, later
from schemes.models import Scheme
from schemes.reminders import already_sent, send_to_each

from .models import Survey
from .selectors import surveys_due

DUE_RULE = "survey_due"
MAKE_A_LINK = gettext_lazy("Make a link for them, or open it with them on a visit.")
HELP_THEM = gettext_lazy("Perhaps help them with it on your next visit.")
UNANSWERED_RULE = "survey_unanswered"
UNANSWERED_AFTER_DAYS = 14


def send_survey_due_reminders(scheme: Scheme, today: date) -> int:
    due = surveys_due(scheme=scheme, today=today, within_days=7)
    if not due:
        return 0
    abouts = [f"survey:{row['person'].pk}:{row['due_on']}" for row in due]
    already = already_sent(DUE_RULE, abouts)
    recipients = Recipients(scheme)
    sent = 0
    for about, row in zip(abouts, due, strict=True):
        person = row["person"]
        subject = later(gettext_lazy("My Shared Life survey due for %(person)s on %(date)s"),
                        person=person.display_name, date=partial(day, row["due_on"]))  # fmt: skip
        link = reverse("outcomes:person_results", kwargs={"scheme_slug": scheme.slug, "pk": person.pk})
        sent += send_to_each(scheme, rule=DUE_RULE, about=about, threshold="due", already=already,
                             recipients=recipients.for_household(row["arrangement"].household), subject=subject,
                             link=link, body=MAKE_A_LINK)  # fmt: skip
    return sent


def send_unanswered_reminders(scheme: Scheme, today: date) -> int:
    now = timezone.now()
    waiting = list(
        Survey.objects.filter(submitted_at__isnull=True, expires_at__gt=now,
                              created_at__lte=now - timedelta(days=UNANSWERED_AFTER_DAYS))
        .select_related("person", "arrangement__household__worker")
    )  # fmt: skip
    if not waiting:
        return 0
    already = already_sent(UNANSWERED_RULE, [f"survey:{s.pk}" for s in waiting])
    recipients = Recipients(scheme)
    sent = 0
    for survey in waiting:
        subject = later(
            gettext_lazy("%(person)s has not answered the My Shared Life survey sent %(date)s"),
            person=survey.person.display_name,
            date=partial(date_format, survey.created_at, "j F"),
        )
        household = survey.arrangement.household if survey.arrangement else None
        link = reverse("outcomes:person_results", kwargs={"scheme_slug": scheme.slug, "pk": survey.person_id})
        sent += send_to_each(scheme, rule=UNANSWERED_RULE, about=f"survey:{survey.pk}", threshold="14",
                             recipients=recipients.for_household(household), already=already, subject=subject,
                             link=link, body=HELP_THEM)  # fmt: skip
    return sent
