"""What outcomes adds to the person page (schemes): a link to their My Shared Life answers. No query."""

from django.urls import reverse


def person_outcomes(request, person) -> dict | None:
    if not request.membership.has("view_records"):
        return None
    return {
        "template": "outcomes/section_person.html",
        "results": reverse("outcomes:person_results", args=[request.current_scheme.slug, person.pk]),
    }
