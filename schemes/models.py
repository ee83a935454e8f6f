from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, get_scope

from .links import reverse
from .permissions import Role, permissions_for
from .vocabulary import MATCHING_WEIGHT_KEYS, Need, labels

# The law in England and Wales: never more than three people with one carer household at once.
LEGAL_MAX_PEOPLE_PER_HOUSEHOLD = 3


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: scheme staff, carers (later), network analysts. Email is the login."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    is_network_viewer = models.BooleanField(
        _("network viewer"), default=False, help_text=_("Sees only anonymised figures pooled across schemes.")
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("en-gb", "English"), ("cy", "Cymraeg")],
        default="en-gb",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    class EmailChoice(models.TextChoices):
        EACH = "each", _("Email me each one")
        DIGEST = "digest", _("One email a week (Monday morning) with everything new")
        NONE = "none", _("No emails: I will look in the app")

    email_choice = models.CharField(
        _("emails about notifications and reminders"), max_length=10, choices=EmailChoice.choices,
        default=EmailChoice.EACH,
    )  # fmt: skip
    last_digest_at = models.DateTimeField(null=True, blank=True)
    failed_sign_ins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class BackupCode(models.Model):
    """A one-time code for two-step sign-in when the phone is lost. Only its SHA-256 hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="backup_code_once_per_user")]

    def __str__(self) -> str:
        return f"backup code of {self.user} ({'used' if self.used_at else 'unused'})"


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")


REGULATORS = {
    Nation.ENGLAND: _("Care Quality Commission (CQC)"),
    Nation.WALES: _("Care Inspectorate Wales (CIW)"),
    Nation.SCOTLAND: _("Care Inspectorate"),
    Nation.NORTHERN_IRELAND: _("Regulation and Quality Improvement Authority (RQIA)"),
}


WEEKLY_COST = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(0)]}


def scheme_slug(obj) -> str:
    """The slug of the scheme `obj` belongs to, for its address (get_absolute_url). In a request for that very scheme
    it comes from the scope SchemeMiddleware sets, which holds the scheme it read: a list links each row without
    reading the scheme again for every row (or joining it). Anywhere else it is read from the object."""
    scheme = get_scope().get("scheme")
    if getattr(scheme, "pk", None) == obj.scheme_id:
        return scheme.slug
    return obj.scheme.slug


class Scheme(models.Model):
    """A Shared Lives scheme: the tenant. Nothing it owns is ever shown to another scheme."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for web addresses"), unique=True, max_length=60)
    nation = models.CharField(_("nation"), max_length=20, choices=Nation.choices)
    registration_number = models.CharField(_("regulator registration number"), max_length=40, blank=True)
    registered_manager_name = models.CharField(_("registered manager"), max_length=150, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True, max_length=500)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    # The scheme's own settings.
    max_people_per_household = models.PositiveSmallIntegerField(
        _("most people one carer household may support at once"),
        default=LEGAL_MAX_PEOPLE_PER_HOUSEHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(LEGAL_MAX_PEOPLE_PER_HOUSEHOLD)],
        help_text=_("Never more than 3 in England and Wales; some schemes choose 2."),
    )
    first_review_weeks = models.PositiveSmallIntegerField(
        _("first arrangement review after (weeks)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("arrangement reviews every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    monthly_visits_months = models.PositiveSmallIntegerField(
        _("monthly monitoring visits for the first (months)"),
        default=6,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    retention_years = models.PositiveSmallIntegerField(
        _("keep records about a person for (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(100)],
        help_text=_(
            "Empty: the usual period for your nation (England, Scotland and Northern Ireland: 8 years after support "
            "ends; Wales: 3 years after the last entry). After it, a nightly job anonymises their records."
        ),
    )
    survey_interval_months = models.PositiveSmallIntegerField(
        _("My Shared Life survey every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    # What each person's support would otherwise cost a week, for the money report's cost comparison.
    residential_weekly = models.DecimalField(
        _("residential care, per week (£)"), default=Decimal("1600.00"), **WEEKLY_COST
    )
    supported_living_weekly = models.DecimalField(
        _("supported living, per week (£)"), default=Decimal("1200.00"), **WEEKLY_COST
    )
    hospital_weekly = models.DecimalField(_("a hospital bed, per week (£)"), default=Decimal("2800.00"), **WEEKLY_COST)
    recruitment_target_days = models.PositiveSmallIntegerField(
        _("target days from enquiry to approval"), default=120, validators=[MinValueValidator(14)]
    )
    matching_target_days = models.PositiveSmallIntegerField(
        _("target days from referral to match"), default=28, validators=[MinValueValidator(1)]
    )

    class EmailLanguages(models.TextChoices):
        BOTH = "both", _("Welsh and English in every email, Welsh first")
        OWN = "own", _("Each person's own language")

    email_languages = models.CharField(
        _("language of emails"), max_length=4, choices=EmailLanguages.choices, blank=True,
        help_text=_("Empty: the usual for your nation (Wales: Welsh and English in every email; elsewhere: each "
                    "person's own language)."),
    )  # fmt: skip
    matching_weights = models.JSONField(
        _("how much each part of a match counts"),
        default=dict,
        blank=True,
        help_text=_("Leave empty for the usual weights. Keys: interests, pets, distance, language, faith, "
                    "experience, household; whole numbers that add up to 100."),
    )  # fmt: skip

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="scheme_max_people_1_to_3",
                condition=models.Q(max_people_per_household__gte=1)
                & models.Q(max_people_per_household__lte=LEGAL_MAX_PEOPLE_PER_HOUSEHOLD),
            ),
            models.CheckConstraint(
                name="scheme_alternative_costs_not_negative",
                condition=models.Q(residential_weekly__gte=0, supported_living_weekly__gte=0, hospital_weekly__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dashboard", kwargs={"scheme_slug": self.slug})

    @property
    def regulator(self) -> str:
        return REGULATORS[self.nation]

    @property
    def emails_bilingual(self) -> bool:
        if self.email_languages:
            return self.email_languages == self.EmailLanguages.BOTH
        return self.nation == Nation.WALES

    def retention(self) -> tuple[int, str]:
        """(years, counted from): "ended" (the end of support) or "last_entry" (the last thing written about them)."""
        if self.nation == Nation.WALES:
            return self.retention_years or 3, "last_entry"
        return self.retention_years or 8, "ended"

    def clean(self) -> None:
        weights = self.matching_weights or {}
        if weights and (
            set(weights) != set(MATCHING_WEIGHT_KEYS)
            or not all(isinstance(v, int) and v >= 0 for v in weights.values())
            or sum(weights.values()) != 100
        ):
            raise ValidationError(
                {"matching_weights": _("Give every key (%(keys)s) a whole number, adding up to 100.")
                 % {"keys": ", ".join(MATCHING_WEIGHT_KEYS)}}
            )  # fmt: skip


class Membership(models.Model):
    """A user's role in one scheme. A user may belong to several schemes, with one role in each."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme__name"]
        constraints = [models.UniqueConstraint(fields=["user", "scheme"], name="one_membership_per_user_scheme")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.scheme}"

    @cached_property
    def permissions(self) -> frozenset[str]:
        return permissions_for(self.role)

    def has(self, permission: str) -> bool:
        return permission in self.permissions


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def validate_adult_birth_date(value: date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."))
    if age_on(value, today) < 16:
        raise ValidationError(_("Shared Lives supports people aged 16 and over."))


class Pet(models.TextChoices):
    DOGS = "dogs", _("Dogs")
    CATS = "cats", _("Cats")


class DealBreaker(models.TextChoices):
    DOGS = "dogs", _("Dogs in the home")
    CATS = "cats", _("Cats in the home")
    SMOKING = "smoking", _("Someone smoking at home")


class Person(models.Model):
    """Someone the scheme supports (or has been asked to). Every app refers to them, so they live here.

    The profile is written the strengths-based way: what matters to the person first. `risks` and `health` are
    restricted to staff with the view_restricted permission.
    """

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        SUPPORTED = "supported", _("Supported")
        ENDED = "ended", _("No longer supported")

    class GroundFloor(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not needed")
        PREFERRED = "preferred", _("Preferred (could manage stairs)")
        REQUIRED = "required", _("Required")

    class CarerGender(models.TextChoices):
        ANY = "any", _("No preference")
        FEMALE = "female", _("A woman")
        MALE = "male", _("A man")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(_("first name"), max_length=100)
    family_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("likes to be called"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), validators=[validate_adult_birth_date])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REFERRED)

    what_matters = models.TextField(_("what matters to me"), blank=True, max_length=4000)
    good_day = models.TextField(_("what a good day looks like"), blank=True, max_length=4000)
    interests = models.TextField(
        _("interests"), blank=True, max_length=2000, help_text=_("Separate with commas: walking, football, baking")
    )
    personality = models.TextField(
        _("personality and sense of humour"), blank=True, max_length=2000, help_text=_("Separate with commas")
    )
    routines = models.TextField(_("routines"), blank=True, max_length=4000)
    important_people = models.TextField(_("who is important to me"), blank=True, max_length=4000)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    support_needs = models.TextField(_("support I need"), blank=True, max_length=4000)
    needs_wheelchair_access = models.BooleanField(_("uses a wheelchair"), default=False)
    needs_step_free = models.BooleanField(_("needs step-free access"), default=False)
    ground_floor_bedroom = models.CharField(
        _("ground-floor bedroom"), max_length=20, choices=GroundFloor.choices, default=GroundFloor.NOT_NEEDED
    )
    pets_liked = models.JSONField(_("loves"), default=list, blank=True)
    deal_breakers = models.JSONField(_("cannot live with"), default=list, blank=True)
    carer_gender = models.CharField(
        _("would like a carer who is"), max_length=10, choices=CarerGender.choices, default=CarerGender.ANY
    )
    area = models.CharField(_("area I would like to live in"), max_length=100, blank=True)
    faith = models.CharField(_("faith or culture"), max_length=100, blank=True)
    languages = models.CharField(_("languages (e.g. English, Welsh, BSL)"), max_length=200, blank=True)
    diet = models.CharField(_("diet"), max_length=200, blank=True)
    contacts = models.TextField(_("contacts (family, GP, emergency)"), blank=True, max_length=4000)
    advocate = models.CharField(_("advocate"), max_length=200, blank=True)

    class Alternative(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential care")
        SUPPORTED_LIVING = "supported_living", _("Supported living")
        HOSPITAL = "hospital", _("A hospital bed")
        NONE = "none", _("Nothing comparable")

    alternative = models.CharField(_("without Shared Lives, the support would be"), max_length=20,
                                   choices=Alternative.choices, default=Alternative.RESIDENTIAL)  # fmt: skip
    alternative_weekly = models.DecimalField(
        _("what it would cost a week (£; empty: the scheme's usual figure)"), null=True, blank=True, **WEEKLY_COST
    )
    risks = models.TextField(_("risks"), blank=True, max_length=4000)
    health = models.TextField(_("health"), blank=True, max_length=4000)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = ScopedManager(scheme="scheme")

    RESTRICTED_FIELDS = ("risks", "health")
    audited_elsewhere = True  # services.person_create/person_update write the line (schemes/audit.py)

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["scheme", "family_name", "given_name"])]
        constraints = [
            models.CheckConstraint(
                name="person_alternative_cost_not_negative",
                condition=models.Q(alternative_weekly__isnull=True) | models.Q(alternative_weekly__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("schemes:person_detail", kwargs={"scheme_slug": scheme_slug(self), "pk": self.pk})

    def clean(self) -> None:
        errors = {}
        for field, choices in (("needs", Need), ("pets_liked", Pet), ("deal_breakers", DealBreaker)):
            unknown = set(getattr(self, field)) - set(choices.values)
            if unknown:
                errors[field] = _("Unknown choice: %(values)s") % {"values": ", ".join(sorted(unknown))}
        contradictions = set(self.pets_liked) & set(self.deal_breakers)
        if contradictions:
            names = ", ".join(str(Pet(value).label).lower() for value in sorted(contradictions))
            errors["deal_breakers"] = _("%(names)s cannot be both loved and a deal-breaker.") % {
                "names": names.capitalize()
            }
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    @property
    def need_labels(self) -> str:
        return labels(Need, self.needs)


class ImportantPlace(models.Model):
    """A place that matters to the person (a partner's home, a day centre, a football ground), for distances."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("place"), max_length=100, help_text=_("For example: his partner's home"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, validators=[MinValueValidator(49), MaxValueValidator(61)]
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, validators=[MinValueValidator(-9), MaxValueValidator(2)]
    )
    max_km = models.DecimalField(
        _("live within (km)"), max_digits=6, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)], help_text=_("Leave empty if there is no limit."),
    )  # fmt: skip

    objects = ScopedManager(scheme="person__scheme")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="place_max_km_not_negative", condition=models.Q(max_km__isnull=True) | models.Q(max_km__gte=0)
            )
        ]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """An in-app message to one user, optionally emailed. `emailed_at` makes the email go out exactly once."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)
    # The subject and body in every language the email goes out in ({"cy": [subject, body], ...}), when the
    # scheme sends bilingual emails; `subject` and `body` are in the recipient's own language, for the app.
    translations = models.JSONField(default=dict, blank=True)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class AuditEvent(models.Model):
    """Who saw or changed what, in which scheme, when (UTC). Written by services and views; never edited.

    `changes` holds before/after values, except for restricted fields (risk, health), whose values never reach the
    trail: only that they changed. Failed sign-ins have no scheme.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DOWNLOADED = "downloaded", _("Downloaded")
        DELETED = "deleted", _("Deleted")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        REFUSED = "refused", _("Access refused")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    what = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["scheme", "-at"]), models.Index(fields=["scheme", "person", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.what} {self.object_id}"


class ReminderSent(models.Model):
    """One reminder, once: the unique row is claimed before the notification is made, so re-running a sweep, a
    retried job or two workers at once never remind anyone twice about the same thing at the same threshold."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=40)
    about = models.CharField(max_length=60, help_text="What it is about, e.g. check:123")
    threshold = models.CharField(max_length=20)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(scheme="scheme")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "about", "threshold", "recipient"], name="one_reminder_each")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.about} {self.threshold}"
