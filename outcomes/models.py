"""My Shared Life: a versioned easy-read questionnaire, the surveys people answer through a private link, and answers.

The questionnaire is the national one, shared by every scheme; a new version is new rows, so past answers always
point at the questions that were asked. Surveys and answers belong to a scheme.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from matching.models import Arrangement
from schemes.links import reverse
from schemes.models import Person, Scheme, scheme_slug


class Area(models.TextChoices):
    SOCIAL_LIFE = "social_life", _("Social life")
    FRIENDS = "friends", _("Friends")
    COMMUNITY = "community", _("Involved in my community")
    COMMUNITY_HELP = "community_help", _("My carer helped me be involved")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    EMOTIONAL_HEALTH = "emotional_health", _("Emotional health")
    SAFE = "safe", _("Feeling safe")
    CHOICE = "choice", _("Choice and control over my day")
    ENJOY = "enjoy", _("Doing things I enjoy")
    FAMILY = "family", _("Part of the family")
    BETTER = "better", _("What would make life even better")


class Kind(models.TextChoices):
    DIFFERENCE = "difference", _("What difference did the carer's support make")
    HELPED = "helped", _("Yes or no")
    FAMILY = "family", _("How often")
    OPEN = "open", _("In their own words")


SKIP = "skip"
# The answers each kind of question offers, in the order shown; "skip" is "I don't want to answer".
CHOICES: dict[str, list[tuple[str, str]]] = {
    Kind.DIFFERENCE: [("better", _("Better")), ("same", _("No different")), ("worse", _("Worse")),
                      (SKIP, _("I don't want to answer"))],
    Kind.HELPED: [("yes", _("Yes")), ("no", _("No")), (SKIP, _("I don't want to answer"))],
    Kind.FAMILY: [("all", _("All of the time")), ("most", _("Most of the time")), ("some", _("Some of the time")),
                  ("never", _("Never")), (SKIP, _("I don't want to answer"))],
    Kind.OPEN: [],
}  # fmt: skip
# The face drawn beside each answer word.
FACES = {"better": "happy", "yes": "happy", "all": "happy", "most": "happy", "same": "neutral", "some": "neutral",
         "worse": "sad", "no": "sad", "never": "sad", SKIP: "skip"}  # fmt: skip
# What counts as the good answer of each kind, for "% better" style figures.
GOOD = {Kind.DIFFERENCE: {"better"}, Kind.HELPED: {"yes"}, Kind.FAMILY: {"all", "most"}}
BAD = {Kind.DIFFERENCE: {"worse"}, Kind.HELPED: {"no"}, Kind.FAMILY: {"never"}}


class HelpMode(models.TextChoices):
    ON_MY_OWN = "own", _("On my own")
    CARER = "carer", _("With help from my carer")
    WORKER = "worker", _("With help from my Shared Lives worker")
    FAMILY = "family", _("With help from my family")
    ADVOCATE = "advocate", _("With help from my advocate")
    ON_MY_BEHALF = "behalf", _("Someone answered for me")


class Questionnaire(models.Model):
    version = models.PositiveSmallIntegerField(unique=True)
    introduced_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"My Shared Life, version {self.version}"


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=20, choices=Area.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=80)
    text = models.CharField(max_length=300)
    picture = models.CharField(max_length=40, help_text="file name under static/outcomes/pictures/")
    picture_alt = models.CharField(max_length=200)
    # The same in Welsh; empty shows the English.
    title_cy = models.CharField(max_length=80, blank=True)
    text_cy = models.CharField(max_length=300, blank=True)
    picture_alt_cy = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_position_once"),
            models.UniqueConstraint(fields=["questionnaire", "area"], name="question_area_once"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.pk and Survey._base_manager.filter(questionnaire_id=self.questionnaire_id).exists():
            raise ValidationError(_("People have answered this version: publish a new version instead."))
        super().save(*args, **kwargs)

    def _in_language(self, field: str) -> str:
        if get_language() == "cy":
            return getattr(self, f"{field}_cy") or getattr(self, field)
        return getattr(self, field)

    @property
    def shown_title(self) -> str:
        return self._in_language("title")

    @property
    def shown_text(self) -> str:
        return self._in_language("text")

    @property
    def shown_picture_alt(self) -> str:
        return self._in_language("picture_alt")

    @property
    def choices(self) -> list[tuple[str, str]]:
        return CHOICES[self.kind]


class Survey(models.Model):
    """One invitation to answer, through a private link. Only a hash of the link's secret is kept."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="surveys")
    arrangement = models.ForeignKey(Arrangement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The arrangement type when the link was made, so results by type survive an arrangement ending or changing.
    arrangement_type = models.CharField(max_length=20, blank=True)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    due_on = models.DateField()
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    help_mode = models.CharField(_("who answered"), max_length=10, choices=HelpMode.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["-due_on", "-pk"]
        indexes = [
            models.Index(fields=["scheme", "submitted_at"]),
            models.Index(fields=["person", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="submitted_survey_says_who_answered",
                condition=models.Q(submitted_at__isnull=True) | ~models.Q(help_mode=""),
            ),
        ]

    def __str__(self) -> str:
        return f"My Shared Life survey due {self.due_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:person_results", kwargs={"scheme_slug": scheme_slug(self), "pk": self.person_id})

    @property
    def is_expired(self) -> bool:
        return self.submitted_at is None and self.expires_at <= timezone.now()


class Answer(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    objects = ScopedManager(scheme="survey__scheme")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return self.choice or self.text[:40]
