"""Matching's sections of the manager reports: people supported, referrals and matches, arrangements started and
ended, free places, reviews and visits overdue, and money. Each a fixed handful of queries."""

import statistics
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from carers.models import Household, Stage

from .models import (
    LIVE_IN_TYPES,
    Arrangement,
    ArrangementType,
    Incident,
    MatchStep,
    PaymentLine,
    PaymentRun,
    Referral,
    Visit,
)
from .money import days_in_month, month_bounds, month_lines, to_penny
from .selectors import month_money_rows, places_taken, visits_due

# The national annual return's three kinds of support.
RETURN_KINDS = [("Live-in", LIVE_IN_TYPES), ("Short breaks", {"short_breaks"}), ("Day support", {"day_support"})]


def activity(*, first: date, last: date) -> dict:
    active = Arrangement.objects.filter(starts_on__lte=last).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    people_by_type = dict(active.values_list("type").annotate(n=Count("person", distinct=True)).order_by())
    started = dict(
        Arrangement.objects.filter(starts_on__gte=first, starts_on__lte=last)
        .values_list("type").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    ended = dict(
        Arrangement.objects.filter(ended_on__gte=first, ended_on__lte=last)
        .values_list("end_reason").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    agreed = list(
        MatchStep.objects.filter(status="agreed", on__gte=first, on__lte=last)
        .values_list("on", "match__referral__referred_on")
    )  # fmt: skip
    days = [(on - referred).days for on, referred in agreed]
    return {
        "people_total": active.values("person").distinct().count(),
        "people_by_kind": [(label, sum(people_by_type.get(t, 0) for t in types)) for label, types in RETURN_KINDS],
        "people_by_type": [(ArrangementType(t).label, n) for t, n in sorted(people_by_type.items())],
        "referrals": Referral.objects.filter(referred_on__gte=first, referred_on__lte=last).count(),
        "matches": len(agreed),
        "median_days_to_match": round(statistics.median(days)) if days else None,
        "started": [(ArrangementType(t).label, n) for t, n in sorted(started.items())],
        "started_total": sum(started.values()),
        "ended": [(Arrangement.EndReason(r).label, n) for r, n in sorted(ended.items()) if r],
        "ended_total": sum(ended.values()),
    }


def free_places(*, today: date) -> dict:
    """Approved, not suspended households, their places and how many are free today (two queries)."""
    households = list(
        Household.objects.filter(stage=Stage.APPROVED, suspended_on__isnull=True).values_list("pk", "terms_max_people")
    )
    taken = places_taken(on=today)
    places = sum(n or 0 for _pk, n in households)
    used = sum(min(taken.get(pk, 0), n or 0) for pk, n in households)
    return {"households": len(households), "places": places, "free": places - used}


def overdue_visits(*, today: date) -> list:
    return list(visits_due(today=today, within_days=0).filter(due_on__lt=today))


def money(*, first: date, last: date) -> dict:
    """Approved payment runs in the period: carers' payments by month and part, and invoices by funder."""
    lines = PaymentLine.objects.filter(run__status=PaymentRun.Status.APPROVED, run__month__gte=first.replace(day=1),
                                       run__month__lte=last)  # fmt: skip
    by_month = {}
    for month, part, total in (
        lines.values_list("run__month", "part").annotate(total=Sum("amount")).order_by("run__month", "part")
    ):
        by_month.setdefault(month, {})[part] = to_penny(total)
    funders = dict(Referral.Funding.choices)
    invoices = [
        (funders[f], to_penny(total))
        for f, total in lines.filter(part=PaymentLine.Part.CARE_FEE)
        .values_list("funder").annotate(total=Sum("amount")).order_by("funder")
    ]  # fmt: skip
    parts = [(p.value, p.label) for p in PaymentLine.Part]
    rows = [
        (month, [totals.get(p, 0) for p, _label in parts], sum(totals.values())) for month, totals in by_month.items()
    ]
    return {"parts": [label for _p, label in parts], "months": rows,
            "total": sum(total for _m, _t, total in rows), "invoices": invoices}  # fmt: skip


def safety(*, first: date, last: date) -> dict:
    """Safe: incidents in the period by severity and category, safeguarding referrals, the regulator told."""
    incidents = Incident.objects.filter(occurred_at__date__gte=first, occurred_at__date__lte=last)
    totals = incidents.aggregate(
        total=Count("pk"), referred=Count("pk", filter=Q(safeguarding_referral=True)),
        notifiable=Count("pk", filter=Q(regulator_notifiable=True)),
        notified=Count("pk", filter=Q(regulator_notifiable=True, regulator_notified_on__isnull=False)),
        still_open=Count("pk", filter=Q(closed_on__isnull=True)),
    )  # fmt: skip
    by_severity = dict(incidents.values_list("severity").annotate(n=Count("pk")).order_by())
    return {**totals, "by_severity": [(Incident.Severity(s).label, by_severity.get(s, 0)) for s in Incident.Severity]}


def visits_record(*, first: date, last: date) -> dict:
    """Effective: reviews and monitoring visits due in the period, how many took place by their due date."""
    due = Visit.objects.filter(due_on__gte=first, due_on__lte=last)
    return due.aggregate(
        due=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False)),
        on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("due_on"))),
    )  # fmt: skip


def cost_comparison(*, scheme, first: date, last: date) -> dict:
    """What the scheme's arrangements cost in the period (care fee, rent and contribution, worked out as the payment
    statements are) against what each person's alternative would have cost for the same days of support (the scheme's
    weekly figures, or the person's own), and the cost avoided a year: in total and by arrangement type."""
    cost: dict[int, Decimal] = defaultdict(Decimal)
    days: dict[int, int] = defaultdict(int)
    month = first.replace(day=1)
    while month <= last:
        live_in, booked, rates, mileage = month_money_rows(scheme=scheme, month=month)
        for line in month_lines(month=month, live_in=live_in, booked=booked, rates=rates, mileage=mileage):
            if line.part != "mileage":
                cost[line.arrangement_id] += line.amount
        month_first, month_last = month_bounds(month)
        for a in live_in:
            days[a.arrangement_id] += days_in_month(starts_on=max(a.starts_on, first), ends_on=a.ended_on, month=month)
        for b in booked:
            nights = (b.ends_on - b.starts_on).days if not b.session_hours else 1
            for n in range(nights):
                if month_first <= b.starts_on + timedelta(days=n) <= min(month_last, last):
                    days[b.arrangement_id] += 1
        month = month_last + timedelta(days=1)
    weekly_default = {"residential": scheme.residential_weekly, "supported_living": scheme.supported_living_weekly,
                      "hospital": scheme.hospital_weekly, "none": Decimal(0)}  # fmt: skip
    arrangements = Arrangement.objects.filter(pk__in=set(cost) | set(days)).select_related("person")
    period_days = (last - first).days + 1
    by_type: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for a in arrangements:
        weekly = a.person.alternative_weekly if a.person.alternative_weekly is not None else weekly_default[
            a.person.alternative]  # fmt: skip
        by_type[a.type][0] += cost[a.pk]
        by_type[a.type][1] += Decimal(weekly) * days[a.pk] / 7
    rows = []
    for kind, (spent, alternative) in sorted(by_type.items()):
        avoided = alternative - spent
        rows.append((ArrangementType(kind).label, to_penny(spent), to_penny(alternative), to_penny(avoided),
                     to_penny(avoided * 365 / period_days)))  # fmt: skip
    totals = [sum(row[i] for row in rows) for i in range(1, 5)]
    return {"rows": rows, "totals": totals, "weekly": weekly_default}
