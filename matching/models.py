from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from carers.models import Household
from schemes.i18n import day_month, month, short_day
from schemes.links import reverse
from schemes.models import Person, Scheme, scheme_slug
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

    retention_scrub = ("referrer_name",)  # free text besides TextFields, emptied by schemes/retention.py

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
        return reverse("matching:referral_detail", kwargs={"scheme_slug": scheme_slug(self), "pk": self.pk})

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
        return reverse("matching:match_detail", kwargs={"scheme_slug": scheme_slug(self), "pk": self.pk})

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


# --- Arrangements -------------------------------------------------------------------------------------------------


class ArrangementType(models.TextChoices):
    LONG_TERM = "long_term", _("Long-term (live-in)")
    SHORT_BREAKS = "short_breaks", _("Short breaks")
    DAY_SUPPORT = "day_support", _("Day support")
    STEP_DOWN = "step_down", _("Step-down / intermediate care from hospital")
    EMERGENCY = "emergency", _("Emergency")
    INTERIM = "interim", _("Interim")


# The person lives with the household: a place is taken every day from the start to the end.
LIVE_IN_TYPES = frozenset({"long_term", "step_down", "emergency", "interim"})
# These end on a planned date, which must be given when they start.
TIME_LIMITED_TYPES = frozenset({"step_down", "emergency", "interim"})
# These take a place only on the days booked.
BOOKED_TYPES = frozenset({"short_breaks", "day_support"})
# Which of the household's approved support types an arrangement needs.
APPROVAL_NEEDED = {
    "long_term": SupportType.LONG_TERM,
    "emergency": SupportType.LONG_TERM,
    "interim": SupportType.LONG_TERM,
    "step_down": SupportType.STEP_DOWN,
    "short_breaks": SupportType.SHORT_BREAKS,
    "day_support": SupportType.DAY_SUPPORT,
}
SESSION_HOURS = (4, 6, 8)
MONEY = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class FeeBand(models.Model):
    """A weekly care fee for live-in support (bands reflect how much support the person needs)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="fee_bands")
    name = models.CharField(_("band"), max_length=60)
    weekly_rate = models.DecimalField(_("care fee per week (£)"), **MONEY)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["weekly_rate", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="fee_band_name_unique_in_scheme"),
            models.CheckConstraint(name="fee_band_rate_not_negative", condition=models.Q(weekly_rate__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.name} — £{self.weekly_rate}/week"


class FeeRates(models.Model):
    """The scheme's rates for short breaks and day support, and the introductory rate."""

    scheme = models.OneToOneField(Scheme, on_delete=models.CASCADE, related_name="fee_rates")
    short_break_night = models.DecimalField(_("short break, per night (£)"), default=Decimal("85.00"), **MONEY)
    full_day_supplement = models.DecimalField(
        _("supplement for a full 24 hours (£)"), default=Decimal("30.00"), **MONEY
    )
    day_4_hours = models.DecimalField(_("day support, 4-hour session (£)"), default=Decimal("35.00"), **MONEY)
    day_6_hours = models.DecimalField(_("day support, 6-hour session (£)"), default=Decimal("52.50"), **MONEY)
    day_8_hours = models.DecimalField(_("day support, 8-hour session (£)"), default=Decimal("70.00"), **MONEY)
    introductory = models.DecimalField(
        _("introductory visit or stay, per day or night (£)"), default=Decimal("40.00"), **MONEY
    )
    mileage = models.DecimalField(_("mileage, per mile (£)"), default=Decimal("0.45"), **MONEY)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="fee_rates_not_negative",
                condition=models.Q(short_break_night__gte=0, full_day_supplement__gte=0, day_4_hours__gte=0,
                                   day_6_hours__gte=0, day_8_hours__gte=0, introductory__gte=0, mileage__gte=0),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(_("Fee rates"))

    def session_rate(self, hours: int):
        return {4: self.day_4_hours, 6: self.day_6_hours, 8: self.day_8_hours}[hours]


class Arrangement(models.Model):
    """A person supported by a carer household: living there, or coming for short breaks or day support."""

    class EndReason(models.TextChoices):
        OWN_HOME = "own_home", _("Moved to their own home")
        OTHER_HOUSEHOLD = "other_household", _("Moved to another household")
        HOSPITAL = "hospital", _("Went into hospital")
        DIED = "died", _("Died")
        BREAKDOWN = "breakdown", _("The arrangement broke down")
        PLANNED = "planned", _("Planned end")
        OTHER = "other", _("Other")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="arrangements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="arrangements")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="arrangements")
    match = models.OneToOneField(Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="arrangement")
    type = models.CharField(_("type"), max_length=20, choices=ArrangementType.choices)
    starts_on = models.DateField(_("start date"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("last day of support"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.TextField(_("note"), blank=True, max_length=2000)
    funder = models.CharField(_("funded by"), max_length=20, choices=Referral.Funding.choices)
    fee_band = models.ForeignKey(
        FeeBand, verbose_name=_("fee band"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    weekly_rent = models.DecimalField(_("rent per week, housing benefit (£)"), default=0, **MONEY)
    weekly_contribution = models.DecimalField(_("person's contribution per week, food and bills (£)"), default=0,
                                              **MONEY)  # fmt: skip
    carer_agreement_on = models.DateField(_("carer agreement signed"), null=True, blank=True)
    arrangement_agreement_on = models.DateField(_("arrangement agreement signed"), null=True, blank=True)
    licence_on = models.DateField(_("licence signed (live-in: own room and key)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["-starts_on", "pk"]
        indexes = [
            models.Index(fields=["scheme", "household", "starts_on"]),
            models.Index(fields=["scheme", "type", "ended_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="arrangement_ends_after_start",
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="arrangement_planned_end_after_start",
                condition=models.Q(planned_end_on__isnull=True) | models.Q(planned_end_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="ended_arrangement_has_reason",
                condition=models.Q(ended_on__isnull=True) | ~models.Q(end_reason=""),
            ),
            models.CheckConstraint(
                name="arrangement_money_not_negative",
                condition=models.Q(weekly_rent__gte=0, weekly_contribution__gte=0),
            ),
            models.UniqueConstraint(
                fields=["person", "household"], condition=models.Q(ended_on__isnull=True),
                name="one_open_arrangement_per_person_household",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.person.display_name} — {self.household.name} ({self.get_type_display()})"

    def get_absolute_url(self) -> str:
        return reverse("matching:arrangement_detail", kwargs={"scheme_slug": scheme_slug(self), "pk": self.pk})

    @property
    def is_live_in(self) -> bool:
        return self.type in LIVE_IN_TYPES

    @property
    def last_day(self):
        """The last day a live-in place is taken: the end if recorded, else the planned end (None: open-ended)."""
        return self.ended_on or self.planned_end_on

    def is_active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ended_on is None or self.ended_on >= day)


class Booking(models.Model):
    """A short break (nights, from arrival to departure) or a day-support session, in a household's calendar."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="bookings")
    arrangement = models.ForeignKey(Arrangement, on_delete=models.PROTECT, related_name="bookings")
    # Copied from the arrangement by the service, so calendars and the capacity rule read one table.
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bookings")
    starts_on = models.DateField(_("arrives (or the day of the session)"))
    ends_on = models.DateField(_("leaves"))
    # The last day a place is taken: the last night of a stay, or the day of a session.
    last_day = models.DateField(editable=False)
    session_hours = models.PositiveSmallIntegerField(_("session length (hours)"), null=True, blank=True)
    full_days = models.PositiveSmallIntegerField(_("full 24-hour days"), default=0)
    introductory = models.BooleanField(_("introductory visit or stay"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    cancelled_reason = models.TextField(_("why it was cancelled"), blank=True, max_length=2000)
    # The scheme books and asks the carer; the carer accepts in the portal (or declines, which cancels it).
    carer_accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [
            models.Index(fields=["household", "status", "starts_on", "last_day"]),
            models.Index(fields=["person", "status", "starts_on", "last_day"]),
            models.Index(fields=["scheme", "status", "starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="booking_days_in_order",
                condition=models.Q(ends_on__gte=models.F("starts_on"), last_day__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="booking_session_length_offered",
                condition=models.Q(session_hours__isnull=True) | models.Q(session_hours__in=SESSION_HOURS),
            ),
            models.CheckConstraint(
                name="cancelled_booking_has_reason",
                condition=~models.Q(status="cancelled") | ~models.Q(cancelled_reason=""),
            ),
        ]

    def __str__(self) -> str:
        if self.session_hours:
            return _("%(hours)s-hour session on %(day)s") % {
                "hours": self.session_hours,
                "day": short_day(self.starts_on),
            }
        return _("%(nights)s nights from %(day)s") % {"nights": self.nights, "day": short_day(self.starts_on)}

    @property
    def nights(self) -> int:
        return 0 if self.session_hours else (self.ends_on - self.starts_on).days


class Unavailability(models.Model):
    """Days a household cannot take short breaks or day support (their holiday, a family event)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="unavailable")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (inclusive)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="unavailability_in_order", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{day_month(self.starts_on)} – {short_day(self.ends_on)}"


class Visit(models.Model):
    """An arrangement review or a monitoring visit: due on a date, then done with the person's and carer's views."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("Review")
        MONITORING = "monitoring", _("Monitoring visit")

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue as it is")
        CHANGE = "change", _("Continue with changes")
        END = "end", _("End the arrangement")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("date it took place"), null=True, blank=True)
    person_view = models.TextField(_("what the person said"), blank=True, max_length=4000)
    carer_view = models.TextField(_("what the carer said"), blank=True, max_length=4000)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["scheme", "done_on", "due_on"])]
        constraints = [
            models.CheckConstraint(
                name="done_review_has_outcome",
                condition=~models.Q(kind="review") | models.Q(done_on__isnull=True) | ~models.Q(outcome=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {short_day(self.due_on)}"


class Incident(models.Model):
    """An incident or safeguarding concern, followed through to closure. Seen only with view_safeguarding."""

    class Category(models.TextChoices):
        ACCIDENT = "accident", _("Accident or injury")
        MEDICATION = "medication", _("Medication error")
        SAFEGUARDING = "safeguarding", _("Safeguarding concern (abuse or neglect)")
        MISSING = "missing", _("Missing person")
        BEHAVIOUR = "behaviour", _("Behaviour that challenges")
        HEALTH = "health", _("Sudden illness or hospital admission")
        COMPLAINT = "complaint", _("Complaint")
        DEATH = "death", _("Death")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="incidents")
    arrangement = models.ForeignKey(
        Arrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="incidents"
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    what_happened = models.TextField(_("what happened"), max_length=8000)
    who_was_involved = models.TextField(_("who was involved"), blank=True, max_length=2000)
    immediate_action = models.TextField(_("what was done straight away"), blank=True, max_length=4000)
    safeguarding_referral = models.BooleanField(_("referred to the council's safeguarding team"), default=False)
    safeguarding_reference = models.CharField(_("council's safeguarding reference"), max_length=60, blank=True)
    regulator_notifiable = models.BooleanField(_("the regulator must be notified"), default=False)
    regulator_notified_on = models.DateField(_("date the regulator was notified"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_note = models.TextField(_("how it was resolved"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(scheme="scheme")

    audited_elsewhere = True  # IncidentCreateView/IncidentUpdateView write the line, with the person

    class Meta:
        ordering = ["-occurred_at", "pk"]
        indexes = [models.Index(fields=["scheme", "closed_on", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                name="closed_incident_has_note", condition=models.Q(closed_on__isnull=True) | ~models.Q(closure_note="")
            ),
            models.CheckConstraint(
                name="safeguarding_referral_has_reference",
                condition=models.Q(safeguarding_referral=False) | ~models.Q(safeguarding_reference=""),
            ),
            models.CheckConstraint(
                name="regulator_notified_only_if_notifiable",
                condition=models.Q(regulator_notified_on__isnull=True) | models.Q(regulator_notifiable=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} — {short_day(self.occurred_at)}"

    def get_absolute_url(self) -> str:
        return reverse("matching:incident_detail", kwargs={"scheme_slug": scheme_slug(self), "pk": self.pk})

    @property
    def regulator_overdue(self) -> bool:
        return self.regulator_notifiable and self.regulator_notified_on is None


class IncidentAction(models.Model):
    """A follow-up action on an incident, with who does it and by when."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who does it"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("by when"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ScopedManager(scheme="incident__scheme")

    retention_scrub = ("action",)  # free text besides TextFields, emptied by schemes/retention.py

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.action


# --- Money ---------------------------------------------------------------------------------------------------------


class PaymentRun(models.Model):
    """A month of carer payments and funder invoices from arrangements and bookings; locked once approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved and locked")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="payment_runs")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    prepared_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "month"], name="one_payment_run_per_month"),
            models.CheckConstraint(
                name="approved_run_has_approver",
                condition=~models.Q(status="approved") | models.Q(approved_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return month(self.month)

    def get_absolute_url(self) -> str:
        return reverse("matching:payment_run", kwargs={"scheme_slug": scheme_slug(self), "pk": self.pk})

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class PaymentLine(models.Model):
    """One amount in a month: a care fee (paid to the carer, invoiced to the funder), or rent or the person's
    contribution (kept apart: they are not part of the care fee)."""

    class Part(models.TextChoices):
        CARE_FEE = "care_fee", _("Care fee")
        RENT = "rent", _("Rent (housing benefit)")
        CONTRIBUTION = "contribution", _("Person's contribution")
        MILEAGE = "mileage", _("Mileage (from approved timesheets)")

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    arrangement = models.ForeignKey(Arrangement, on_delete=models.PROTECT, related_name="+")
    funder = models.CharField(max_length=20, choices=Referral.Funding.choices)
    part = models.CharField(max_length=15, choices=Part.choices)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)

    objects = ScopedManager(scheme="run__scheme")

    retention_scrub = ("description",)  # free text besides TextFields, emptied by schemes/retention.py

    class Meta:
        ordering = ["household_id", "arrangement_id", "part", "pk"]

    def __str__(self) -> str:
        return f"{self.description}: £{self.amount}"


class Timesheet(models.Model):
    """A carer's account that a short break or day session took place, with any miles driven for the person.
    Staff approve it; approved mileage is paid in the month of the stay or session."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, waiting for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Sent back")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="timesheets")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="timesheets")
    miles = models.DecimalField(_("miles driven for the person"), max_digits=6, decimal_places=1, default=Decimal(0))
    note = models.TextField(_("anything the scheme should know"), blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)

    objects = ScopedManager(scheme="scheme")

    retention_scrub = ("decision_note",)  # free text besides TextFields, emptied by schemes/retention.py

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["scheme", "status"]), models.Index(fields=["household", "status"])]
        constraints = [
            models.CheckConstraint(name="timesheet_miles_not_negative", condition=models.Q(miles__gte=0)),
            models.UniqueConstraint(
                fields=["booking"], condition=~models.Q(status="returned"), name="one_live_timesheet_per_booking"
            ),
            models.CheckConstraint(
                name="returned_timesheet_has_reason",
                condition=~models.Q(status="returned") | ~models.Q(decision_note=""),
            ),
        ]

    def __str__(self) -> str:
        return _("Timesheet for %(booking)s") % {"booking": self.booking}
