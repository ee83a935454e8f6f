"""Who outcomes still needs kept when the retention job runs (schemes/retention.py): a survey since the cutoff."""

from django.db.models import Exists, OuterRef, Q

from .models import Survey


def keep(people, *, basis: str, cutoff):
    recent = Survey.objects.filter(Q(created_at__date__gte=cutoff) | Q(submitted_at__date__gte=cutoff))
    return people.exclude(Exists(recent.filter(person=OuterRef("pk"))))
