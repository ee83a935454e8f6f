from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from schemes.i18n import day
from schemes.links import reverse
from schemes.models import LEGAL_MAX_PEOPLE_PER_HOUSEHOLD, Person, Scheme, age_on, scheme_slug
from schemes.vocabulary import Need, SupportType, labels

from .rules import CheckKind


class Stage(models.TextChoices):
    ENQUIRY = "enquiry", _("Enquiry")
    INITIAL_VISIT = "initial_visit", _("Initial visit")
    APPLICATION = "application", _("Application")
    ASSESSMENT = "assessment", _("Assessment")
    CHECKS = "checks", _("Checks")
    TRAINING = "training", _("Training")
    PANEL = "panel", _("Panel")
    APPROVED = "approved", _("Approved")
    NOT_APPROVED = "not_approved", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")
    DEAPPROVED = "deapproved", _("De-approved")


RECRUITMENT_STAGES = [
    Stage.ENQUIRY,
    Stage.INITIAL_VISIT,
    Stage.APPLICATION,
    Stage.ASSESSMENT,
    Stage.CHECKS,
    Stage.TRAINING,
    Stage.PANEL,
]
ENDED_STAGES = [Stage.NOT_APPROVED, Stage.WITHDRAWN, Stage.CLOSED, Stage.DEAPPROVED]


class Household(models.Model):
    """A carer household, from first enquiry through approval (and, sometimes, de-approval)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="households")
    name = models.CharField(_("household name"), max_length=150, help_text=_("For example: Sarah and Tom Hughes"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True, max_length=500)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    area = models.CharField(_("area"), max_length=80, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        validators=[MinValueValidator(49), MaxValueValidator(61)], help_text=_("For distances when matching (UK)."),
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        validators=[MinValueValidator(-9), MaxValueValidator(2)],
    )  # fmt: skip

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.ENQUIRY)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    enquiry_on = models.DateField(_("date of enquiry"), default=timezone.localdate)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Shared Lives worker (assessor)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessed_households",
    )
    source = models.CharField(_("how they heard of us"), max_length=100, blank=True)

    # The home.
    pets = models.CharField(_("pets (kind and number)"), max_length=200, blank=True)
    has_dogs = models.BooleanField(_("has dogs"), default=False)
    has_cats = models.BooleanField(_("has cats"), default=False)
    smokers = models.BooleanField(_("someone smokes at home"), default=False)
    spare_bedrooms = models.PositiveSmallIntegerField(_("spare bedrooms"), default=0)
    step_free = models.BooleanField(_("step-free access"), default=False)
    ground_floor_bedroom = models.BooleanField(_("ground-floor bedroom"), default=False)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    has_gas = models.BooleanField(_("gas supply at home"), default=True)
    rented_or_mortgaged = models.BooleanField(_("rented or mortgaged (needs consent)"), default=True)
    new_to_care = models.BooleanField(_("new to care (needs the Care Certificate)"), default=True)
    dbs_update_service = models.BooleanField(_("DBS on the update service"), default=False)
    languages = models.CharField(_("languages (e.g. English, Welsh, BSL)"), max_length=200, blank=True)
    faith = models.CharField(_("faith or culture"), max_length=100, blank=True)
    interests = models.TextField(_("interests"), blank=True, max_length=2000)
    skills = models.TextField(_("skills and experience"), blank=True, max_length=2000)

    # Approval terms (current); every change is kept in TermsChange.
    terms_support_types = models.JSONField(_("approved for support types"), default=list, blank=True)
    terms_needs = models.JSONField(_("approved for needs"), default=list, blank=True)
    terms_max_people = models.PositiveSmallIntegerField(
        _("most people at once"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(LEGAL_MAX_PEOPLE_PER_HOUSEHOLD)],
    )
    terms_named_person = models.ForeignKey(
        Person, verbose_name=_("approved for one named person only"), null=True, blank=True, on_delete=models.SET_NULL
    )
    probation_ends_on = models.DateField(_("probation ends"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    next_review_on = models.DateField(_("annual review due"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended since"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for suspension"), blank=True, max_length=2000)

    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["scheme", "stage", "stage_changed_at"]),
            models.Index(fields=["scheme", "name"]),
            models.Index(fields=["scheme", "postcode"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="household_terms_max_people_1_to_3",
                condition=models.Q(terms_max_people__isnull=True)
                | (models.Q(terms_max_people__gte=1) & models.Q(terms_max_people__lte=LEGAL_MAX_PEOPLE_PER_HOUSEHOLD)),
            ),
            models.CheckConstraint(
                name="household_approved_has_terms",
                condition=~models.Q(stage="approved") | models.Q(terms_max_people__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("carers:household_detail", kwargs={"scheme_slug": scheme_slug(self), "pk": self.pk})

    @property
    def support_type_labels(self) -> str:
        return labels(SupportType, self.terms_support_types)

    @property
    def need_labels(self) -> str:
        return labels(Need, self.terms_needs)


class Member(models.Model):
    """Someone who lives in the household: a carer, or another adult or child."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    is_carer = models.BooleanField(_("is a carer"), default=False)
    relationship = models.CharField(_("relationship"), max_length=80, blank=True)
    # A carer invited to the portal signs in as this user and sees this household only.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="carer_members"
    )

    objects = ScopedManager(scheme="household__scheme")

    class Meta:
        ordering = ["-is_carer", "full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": _("The date of birth cannot be in the future.")})

    @property
    def is_adult(self) -> bool:
        return self.adult_on(timezone.localdate())

    def adult_on(self, day: date) -> bool:
        return age_on(self.date_of_birth, day) >= 18


class Check(models.Model):
    """A check, certificate or training course, with when it was done and when it runs out.

    Renewing one keeps the old row (is_current=False) so the whole trail stays on record.
    """

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="checks")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, null=True, blank=True, related_name="checks")
    kind = models.CharField(_("what"), max_length=30, choices=CheckKind.choices)
    done_on = models.DateField(_("date done or issued"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    is_clear = models.BooleanField(_("clear / satisfactory"), default=True)
    reference = models.CharField(_("certificate number or referee"), max_length=150, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    evidence = models.FileField(_("evidence"), blank=True, max_length=200)
    evidence_name = models.CharField(max_length=120, blank=True)
    evidence_type = models.CharField(max_length=40, blank=True)
    is_current = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(scheme="household__scheme")

    class Meta:
        ordering = ["kind", "-done_on"]
        indexes = [
            models.Index(fields=["household", "is_current", "expires_on"]),
            # Covering: matching asks, for the whole pool at once, which current DBS and insurance checks have lapsed
            # (carers.selectors.checks_block_new_people); with these columns in the index PostgreSQL answers from the
            # index alone (that query: 98 to 40 ms over 10,000 households).
            models.Index(
                fields=["kind", "is_current"],
                name="check_kind_current",
                include=["household", "member", "is_clear", "expires_on"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="check_expires_after_done",
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gt=models.F("done_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class StageEvent(models.Model):
    """One step in a household's journey: who moved it, when, and why. Never edited."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    what = models.CharField(max_length=200)
    note = models.TextField(blank=True, max_length=4000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(scheme="household__scheme")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return str(self.what)  # may be a lazy translation until saved and read back


class Panel(models.Model):
    """An approval panel meeting: its members read the papers of the households on its agenda."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="panels")
    meets_on = models.DateField(_("meets on"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("panel members"), related_name="panels")
    notes = models.TextField(_("notes"), blank=True, max_length=4000)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["-meets_on"]

    def __str__(self) -> str:
        return _("Panel %(date)s") % {"date": day(self.meets_on)}

    def get_absolute_url(self) -> str:
        return reverse("carers:panel_detail", kwargs={"scheme_slug": scheme_slug(self), "pk": self.pk})


class PanelItem(models.Model):
    """One household on a panel's agenda: the recommendation, minutes and the decision maker's decision."""

    class Purpose(models.TextChoices):
        APPROVAL = "approval", _("Approval")
        DEAPPROVAL = "deapproval", _("De-approval")

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Approve")
        DECLINE = "decline", _("Do not approve")
        DEAPPROVE = "deapprove", _("De-approve")
        CONTINUE = "continue", _("Continue approval")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="items")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="panel_items")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.APPROVAL)
    assessment_report = models.TextField(_("assessment report"), max_length=20000)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, max_length=10000)
    decision = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=4000)
    appeal_lodged_on = models.DateField(_("appeal lodged"), null=True, blank=True)
    appeal_outcome = models.TextField(_("appeal outcome"), blank=True, max_length=4000)

    objects = ScopedManager(scheme="panel__scheme")

    class Meta:
        ordering = ["panel", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "household", "purpose"], name="one_agenda_item_per_purpose"),
            models.CheckConstraint(
                name="decision_needs_recommendation",
                condition=models.Q(decision="") | ~models.Q(recommendation=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} at {self.panel}"


class TermsChange(models.Model):
    """Every change to a household's approval terms, with the reason and the date: the trail an inspector reads."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="terms_changes")
    terms = models.JSONField()
    reason = models.TextField(max_length=4000)
    effective_on = models.DateField(default=timezone.localdate)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(scheme="household__scheme")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Terms for {self.household} from {self.effective_on}"


class CarerReview(models.Model):
    """The annual review of an approved household, with the views of the people they support."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue approval as it is")
        VARY_TERMS = "vary_terms", _("Vary the approval terms")
        REFER_TO_PANEL = "refer_to_panel", _("Refer to panel")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    people_views = models.TextField(_("what the people they support said"), max_length=4000)
    carer_views = models.TextField(_("what the carers said"), max_length=4000)
    summary = models.TextField(_("worker's summary"), max_length=4000)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    next_review_on = models.DateField(_("next review due"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ScopedManager(scheme="household__scheme")

    class Meta:
        ordering = ["-reviewed_on"]
        constraints = [
            models.CheckConstraint(
                name="review_next_after_this_one", condition=models.Q(next_review_on__gt=models.F("reviewed_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.household} on {self.reviewed_on}"


class RenewalUpload(models.Model):
    """Evidence a carer sends from the portal (a certificate, a policy): it waits until staff check it and record
    the check, or send it back with a reason."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the scheme to check it")
        ACCEPTED = "accepted", _("Checked and recorded")
        RETURNED = "returned", _("Sent back")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="uploads")
    member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("what it is"), max_length=30, choices=CheckKind.choices)
    evidence = models.FileField(max_length=200)
    evidence_name = models.CharField(max_length=120)
    evidence_type = models.CharField(max_length=40)
    note = models.CharField(_("note for the scheme"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.CharField(_("reason"), max_length=500, blank=True)

    objects = ScopedManager(scheme="household__scheme")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["household", "status"])]
        constraints = [
            models.CheckConstraint(
                name="returned_upload_has_reason",
                condition=~models.Q(status="returned") | ~models.Q(resolution_note=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.evidence_name})"
