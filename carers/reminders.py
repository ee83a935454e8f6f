"""Carers' reminder rules: checks, certificates and training running out, at 60, 30 and 7 days and on the day.

The household's Shared Lives worker is reminded, and so are the household's carers who use the carer portal (for a
check of one person, that person if they use it): in the app always, by email as each person chose (each one, a
weekly digest, or none). Each reminder is sent once per threshold and person; a renewal is a new check, so its
reminders start afresh.
"""

from collections import defaultdict
from datetime import date, timedelta
from functools import partial

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext_lazy

from schemes.i18n import day, later
from schemes.models import ReminderSent, Scheme
from schemes.reminders import already_sent, send_to_each
from schemes.services import reminder_send

from .models import Check, Household, Member, Panel, Stage

THRESHOLDS = (0, 7, 30, 60)  # days before expiry; 0: it has expired
EXPIRED_LOOKBACK_DAYS = 30  # a sweep that missed days still sends the "expired" reminder within a month
RULE = "carer_check_expiry"


def threshold_for(days_left: int) -> int | None:
    """The smallest threshold reached: 45 days left -> 60; 5 -> 7; -3 -> 0; 90 -> None."""
    return next((t for t in THRESHOLDS if days_left <= t), None)


def send_check_reminders(*, scheme: Scheme, today: date) -> int:
    """One scheme's sweep; a fixed number of reads whatever its size. Returns how many reminders were sent."""
    due = list(
        Check.objects.filter(
            is_current=True,
            expires_on__lte=today + timedelta(days=max(THRESHOLDS)),
            # the "expired" reminder goes on the day; a check long expired was reminded then, and stays flagged
            # on the household's page and the compliance list, so the sweep need not read it every day
            expires_on__gte=today - timedelta(days=EXPIRED_LOOKBACK_DAYS),
        ).select_related("household__worker", "member")
    )
    if not due:
        return 0
    carers: dict[int, list[Member]] = defaultdict(list)
    for member in Member.objects.filter(
        household_id__in={c.household_id for c in due}, user__isnull=False
    ).select_related("user"):
        carers[member.household_id].append(member)
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
        what = partial(_check_name, check)
        if days_left < 0:
            subject = later(gettext_lazy("Expired: %(what)s for %(household)s"), what=what, household=household.name)
        else:
            subject = later(gettext_lazy("%(what)s for %(household)s runs out in %(days)s days"), what=what,
                            household=household.name, days=days_left)  # fmt: skip
        body = later(
            gettext_lazy(
                "%(what)s for %(household)s runs out on %(date)s. Record the renewal on the household's page."
            ),
            what=what, household=household.name, date=partial(day, check.expires_on),
        )  # fmt: skip
        link = reverse("carers:household_detail", kwargs={"scheme_slug": scheme.slug, "pk": household.pk})
        portal = reverse("portal:upload", kwargs={"scheme_slug": scheme.slug}) + f"?kind={check.kind}"
        to_remind = [(household.worker, body, link)] if household.worker_id else []
        mine = [m for m in carers[household.pk] if check.member_id is None or m.pk == check.member_id]
        carer_body = later(gettext_lazy("%(what)s runs out on %(date)s. Send the new one from the carer portal."),
                           what=what, date=partial(day, check.expires_on))  # fmt: skip
        to_remind += [(m.user, carer_body, portal) for m in mine]
        for recipient, words, where in to_remind:
            if (f"check:{check.pk}", str(threshold), recipient.pk) in already:
                continue
            sent += reminder_send(
                scheme=scheme, rule=RULE, about=f"check:{check.pk}", threshold=str(threshold), recipient=recipient,
                subject=subject, body=words, link=where,
            )  # fmt: skip
    return sent


REVIEW_RULE = "carer_annual_review"
REVIEW_THRESHOLDS = (0, 30)  # a month before, and on the day it falls overdue


def send_review_reminders(*, scheme: Scheme, today: date) -> int:
    """The annual review of an approved household: its worker is reminded a month before and when it is overdue
    (two reads, however many households)."""
    due = list(
        Household.objects.filter(stage=Stage.APPROVED, next_review_on__lte=today + timedelta(days=30))
        .exclude(worker=None)
        .select_related("worker")
    )
    if not due:
        return 0
    already = set(
        ReminderSent.objects.filter(rule=REVIEW_RULE, about__in=[f"review:{h.pk}:{h.next_review_on}" for h in due])
        .values_list("about", "threshold")
    )  # fmt: skip
    sent = 0
    for household in due:
        threshold = "0" if household.next_review_on <= today else "30"
        about = f"review:{household.pk}:{household.next_review_on}"
        if (about, threshold) in already:
            continue
        overdue = household.next_review_on < today
        if overdue:
            words = gettext_lazy("The annual review of %(household)s is overdue (due %(date)s).")
        else:
            words = gettext_lazy("The annual review of %(household)s is due by %(date)s.")
        subject = later(words, household=household.name, date=partial(day, household.next_review_on))
        sent += reminder_send(
            scheme=scheme, rule=REVIEW_RULE, about=about, threshold=threshold, recipient=household.worker,
            subject=subject, body=subject, link=household.get_absolute_url(),
        )  # fmt: skip
    return sent


PANEL_RULE = "panel_papers"
PANEL_NOTICE_DAYS = 7


def send_panel_papers_reminders(*, scheme: Scheme, today: date) -> int:
    """A week before a panel, each of its members is told the papers are ready (households on the agenda), once."""
    panels = list(
        Panel.objects.filter(meets_on__gte=today, meets_on__lte=today + timedelta(days=PANEL_NOTICE_DAYS))
        .annotate(households=Count("items"))
        .filter(households__gt=0)
        .prefetch_related("members")
    )
    if not panels:
        return 0
    already = already_sent(PANEL_RULE, [f"panel:{p.pk}" for p in panels])
    sent = 0
    for panel in panels:
        subject = later(ngettext_lazy("Papers ready for the panel on %(date)s: %(n)s household",
                                      "Papers ready for the panel on %(date)s: %(n)s households", panel.households),
                        date=partial(day, panel.meets_on), n=panel.households)  # fmt: skip
        link = reverse("carers:panel_detail", kwargs={"scheme_slug": scheme.slug, "pk": panel.pk})
        sent += send_to_each(scheme, rule=PANEL_RULE, about=f"panel:{panel.pk}", threshold="ready",
                             recipients=panel.members.all(), already=already, subject=subject,
                             body=gettext_lazy("Please read them before the panel."), link=link)  # fmt: skip
    return sent


def _check_name(check) -> str:
    return check.get_kind_display() + (f" — {check.member.full_name}" if check.member else "")
