"""What outcomes holds about one person, for their subject access export (schemes/subject_access.py)."""

from .models import Answer, Survey


def part(person) -> dict:
    return {
        "outcomes.Survey": Survey.objects.filter(person=person).select_related("questionnaire"),
        "outcomes.Answer": Answer.objects.filter(survey__person=person).select_related("question"),
    }
