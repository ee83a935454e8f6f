from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from carers.models import Household
from schemes.models import Person, Scheme
from schemes.vocabulary import SupportType


class Referral(models.Model):
    """A request for Shared Lives support for one person, from whoever referred them."""

    class Source(models.TextChoices):
        SOCIAL_WORKER = "social_worker", _("Council social worker")
        NHS = "nhs", _("NHS team")
        SELF = "self", _("The person themselves")
        FAMILY = "family", _("Family")
        OTHER = "other", _("Other")

    class Funding(models.TextChoices):
        COUNCIL = "council", _("Council")
        NHS = "nhs", _("NHS")
        DIRECT_PAYMENT = "direct_payment", _("Personal budget / Direct Payment")
        SELF_FUNDED = "self_funded", _("Self-funded")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        SOON = "soon", _("Soon")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSESSING = "assessing", _("Assessing")
        MATCHING = "matching", _("Matching")
        MATCHED = "matched", _("Matched")
        CLOSED = "closed", _("Closed")

    SUPPORT_TYPES = [*SupportType.choices, ("emergency", _("Emergency"))]

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(_("referred by"), max_length=20, choices=Source.choices)
    referrer_name = models.CharField(_("referrer's name and team"), max_length=150, blank=True)
    referred_on = models.DateField(_("date of referral"), default=timezone.localdate)
    funding = models.CharField(_("funded by"), max_length=20, choices=Funding.choices)
    support_type = models.CharField(_("support wanted"), max_length=20, choices=SUPPORT_TYPES)
    wanted_from = models.DateField(_("wanted from"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(default=timezone.now)
    closed_reason = models.TextField(_("why it was closed"), blank=True, max_length=2000)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["referred_on", "pk"]
        indexes = [models.Index(fields=["scheme", "status", "referred_on"])]
        constraints = [
            models.CheckConstraint(
                name="closed_referral_has_reason", condition=~models.Q(status="closed") | ~models.Q(closed_reason="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_support_type_display()}"

    def get_absolute_url(self) -> str:
        return reverse("matching:referral_detail", kwargs={"scheme_slug": self.scheme.slug, "pk": self.pk})

    def clean(self) -> None:
        if self.person_id and self.scheme_id and self.person.scheme_id != self.scheme_id:
            raise ValidationError({"person": _("Choose someone this scheme supports.")})

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.ASSESSING, self.Status.MATCHING)


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SHARED = "shared", _("Profile shared with the carer")
    INTERESTED = "interested", _("Carer interested")
    DECLINED = "declined", _("Carer declined")
    INTRODUCTION = "introduction", _("Introduction")
    VISITS = "visits", _("Visits")
    TRIAL = "trial", _("Tea visit, trial or overnight stay")
    AGREED = "agreed", _("Both agree")
    STARTED = "started", _("Arrangement started")
    ENDED = "ended", _("Ended")


FINISHED_MATCH_STATUSES = [MatchStatus.DECLINED, MatchStatus.STARTED, MatchStatus.ENDED]
# The journey: each step may only follow the one before it (ending is possible from any open step).
NEXT_MATCH_STEPS = {
    MatchStatus.PROPOSED: [MatchStatus.SHARED],
    MatchStatus.SHARED: [MatchStatus.INTERESTED, MatchStatus.DECLINED],
    MatchStatus.INTERESTED: [MatchStatus.INTRODUCTION],
    MatchStatus.INTRODUCTION: [MatchStatus.VISITS],
    MatchStatus.VISITS: [MatchStatus.TRIAL],
    MatchStatus.TRIAL: [MatchStatus.AGREED],
    MatchStatus.AGREED: [MatchStatus.STARTED],
}


class Match(models.Model):
    """One carer household explored for one referral. Several can be explored at once."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="matches")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="matches")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="matches")
    status = models.CharField(max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "household"],
                condition=~models.Q(status__in=["declined", "ended"]),
                name="one_open_match_per_referral_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral.person} with {self.household}"

    def get_absolute_url(self) -> str:
        return reverse("matching:match_detail", kwargs={"scheme_slug": self.scheme.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED_MATCH_STATUSES


class MatchStep(models.Model):
    """A step of a match with its date, notes and, in their own words, the person's and the carer's views."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=20, choices=MatchStatus.choices)
    on = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    person_view = models.TextField(_("what the person said"), blank=True, max_length=4000)
    carer_view = models.TextField(_("what the carer said"), blank=True, max_length=4000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(scheme="match__scheme")

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return self.get_status_display()
