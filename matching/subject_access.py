"""What matching holds about one person, for their subject access export (schemes/subject_access.py)."""

from .models import (
    Arrangement,
    Booking,
    Incident,
    IncidentAction,
    Match,
    MatchStep,
    PaymentLine,
    Referral,
    Timesheet,
    Visit,
)


def part(person) -> dict:
    arrangements = Arrangement.objects.filter(person=person)
    incidents = Incident.objects.filter(arrangement__person=person)
    return {
        "matching.Referral": Referral.objects.filter(person=person),
        "matching.Match": Match.objects.filter(referral__person=person).select_related("household"),
        "matching.MatchStep": MatchStep.objects.filter(match__referral__person=person).select_related("by"),
        "matching.Arrangement": arrangements.select_related("household", "fee_band", "created_by"),
        "matching.Booking": Booking.objects.filter(person=person).select_related("household"),
        "matching.Timesheet": Timesheet.objects.filter(booking__person=person).select_related("household"),
        "matching.Visit": Visit.objects.filter(arrangement__person=person).select_related("done_by"),
        "matching.Incident": incidents.select_related("recorded_by"),
        "matching.IncidentAction": IncidentAction.objects.filter(incident__in=incidents).select_related("owner"),
        "matching.PaymentLine": PaymentLine.objects.filter(arrangement__in=arrangements).select_related("household"),
    }
