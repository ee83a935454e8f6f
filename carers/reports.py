"""Carers' sections of the manager reports: households by stage and the recruitment funnel, and compliance."""

import statistics
from datetime import date

from django.db.models import Count

from .models import CarerReview, Household, Panel, Stage
from .rules import Status
from .selectors import compliance_overview


def recruitment(*, first: date, last: date) -> dict:
    """Households by stage now; enquiries and approvals in the period; median days from enquiry to approval."""
    by_stage = dict(Household.objects.values_list("stage").annotate(n=Count("pk")).order_by())
    approved = list(
        Household.objects.filter(approved_on__gte=first, approved_on__lte=last).values_list("enquiry_on", "approved_on")
    )
    # a household recorded as approved before its enquiry (an old record typed in later) tells nothing about speed
    days = [(a - e).days for e, a in approved if e and a >= e]
    return {
        "stages": [(Stage(s).label, by_stage.get(s, 0)) for s in Stage.values],
        "enquiries": Household.objects.filter(enquiry_on__gte=first, enquiry_on__lte=last).count(),
        "approved": len(approved),
        "median_days_to_approval": round(statistics.median(days)) if days else None,
        "approved_now": by_stage.get(Stage.APPROVED, 0),
    }


def compliance(*, today: date) -> dict:
    """Every household being checked or approved with something not valid, and counts by status."""
    rows = compliance_overview(today=today)
    counts = {status: 0 for status in Status.values}
    for _household, problems in rows:
        for row in problems:
            counts[row.status] += 1
    return {"households": rows, "counts": [(Status(s).label, n) for s, n in counts.items() if s != Status.VALID]}


def governance(*, first: date, last: date) -> dict:
    """Well-led evidence: panels held, annual reviews done, and approved households whose review is overdue."""
    return {
        "panels": Panel.objects.filter(meets_on__gte=first, meets_on__lte=last).count(),
        "reviews_done": CarerReview.objects.filter(reviewed_on__gte=first, reviewed_on__lte=last).count(),
        "reviews_overdue": Household.objects.filter(stage=Stage.APPROVED, next_review_on__lt=last).count(),
    }
