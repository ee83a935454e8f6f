"""Who matching still needs kept when the retention job runs (schemes/retention.py)."""

from django.db.models import Exists, OuterRef, Q

from .models import Arrangement, Booking, Incident, Referral

OPEN_REFERRAL = (Referral.Status.NEW, Referral.Status.ASSESSING, Referral.Status.MATCHING)


def keep(people, *, basis: str, cutoff):
    """Keep anyone with support or a referral still open, support that ended on or after the cutoff, or (counting
    from the last entry) a referral, booking or incident on or after it."""
    arrangements = Arrangement.objects.filter(person=OuterRef("pk"))
    referrals = Referral.objects.filter(person=OuterRef("pk"))
    people = people.exclude(Exists(arrangements.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff))))
    people = people.exclude(
        Exists(referrals.filter(Q(status__in=OPEN_REFERRAL) | Q(status_changed_at__date__gte=cutoff)))
    )
    if basis == "last_entry":
        people = people.exclude(Exists(Booking.objects.filter(person=OuterRef("pk"), ends_on__gte=cutoff)))
        people = people.exclude(
            Exists(Incident.objects.filter(arrangement__person=OuterRef("pk"), occurred_at__date__gte=cutoff))
        )
    return people
