"""What carers holds about one person: households approved for them by name (only that, not the carers' details)."""

from .models import Household


def part(person) -> dict:
    named = Household.objects.filter(terms_named_person=person).select_related("terms_named_person")
    return {"carers.Household": (named, ("name", "terms_named_person"))}
