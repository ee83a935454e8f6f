"""Words every app shares: kinds of support and kinds of need (a person's, a carer's approval, a referral's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportType(models.TextChoices):
    LONG_TERM = "long_term", _("Long-term (live-in)")
    SHORT_BREAKS = "short_breaks", _("Short breaks")
    DAY_SUPPORT = "day_support", _("Day support")
    STEP_DOWN = "step_down", _("Step-down from hospital")


class Need(models.TextChoices):
    LEARNING_DISABILITY = "learning_disability", _("Learning disability")
    AUTISM = "autism", _("Autism")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    DEMENTIA = "dementia", _("Dementia")
    PHYSICAL_DISABILITY = "physical_disability", _("Physical disability")
    SENSORY_IMPAIRMENT = "sensory_impairment", _("Sensory impairment")
    OLDER_PEOPLE = "older_people", _("Older people")
    YOUNG_PEOPLE = "young_people", _("Young people 16-18")


def labels(choices: type[models.TextChoices], values: list[str]) -> str:
    return ", ".join(str(choices(value).label) for value in values)


# What a carer suggestion's score is made of, and how much each part counts unless a scheme says otherwise.
DEFAULT_MATCHING_WEIGHTS = {
    "interests": 30,
    "distance": 25,
    "experience": 15,
    "pets": 10,
    "language": 10,
    "faith": 5,
    "household": 5,
}
MATCHING_WEIGHT_KEYS = tuple(DEFAULT_MATCHING_WEIGHTS)
