"""What matching adds to the person page (schemes) and the household page (carers): their arrangements, one query."""

from django.urls import reverse

from carers.selectors import HOUSEHOLD_NAME_FIELDS
from schemes.selectors import with_person_names, with_related_only

from .models import Arrangement

SHOWN = 10  # the newest ten; the arrangements list has the rest


def _arrangements_section(request, *, of: str, obj) -> dict | None:
    if not request.membership.has("view_records"):
        return None
    slug = request.current_scheme.slug
    arrangements = Arrangement.objects.filter(**{of: obj}).order_by("-starts_on", "-pk")
    # Each line names the other side only: a person's or a household's whole record is wide (35 and 40 columns).
    if of == "household":
        arrangements = with_person_names(arrangements)
    else:
        arrangements = with_related_only(arrangements, "household", HOUSEHOLD_NAME_FIELDS)
    section = {
        "template": "matching/section_arrangements.html",
        "arrangements": list(arrangements[:SHOWN]),
        "calendar": reverse(f"matching:{of}_calendar", args=[slug, obj.pk]),
        "other": "household" if of == "person" else "person",
    }
    if of == "household" and request.membership.has("manage_arrangements"):
        section["away"] = reverse("matching:unavailability_add", args=[slug, obj.pk])
    return section


def person_arrangements(request, person) -> dict | None:
    return _arrangements_section(request, of="person", obj=person)


def household_arrangements(request, household) -> dict | None:
    return _arrangements_section(request, of="household", obj=household)
