"""Factories keep related objects in the same scheme. They write with scopes disabled, as setup code must."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from schemes.models import Membership, Person, Scheme, User
from schemes.permissions import Role

PASSWORD = "correct-horse-battery"


class UnscopedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class SchemeFactory(UnscopedFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Test Scheme {n}")
    slug = factory.Sequence(lambda n: f"scheme-{n}")
    nation = "england"


class UserFactory(UnscopedFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(UnscopedFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    scheme = factory.SubFactory(SchemeFactory)
    role = Role.COORDINATOR


class PersonFactory(UnscopedFactory):
    class Meta:
        model = Person

    scheme = factory.SubFactory(SchemeFactory)
    given_name = factory.Sequence(lambda n: f"Person{n}")
    family_name = "Jones"
    date_of_birth = date(1990, 5, 17)
    status = Person.Status.SUPPORTED


class HouseholdFactory(UnscopedFactory):
    class Meta:
        model = "carers.Household"

    scheme = factory.SubFactory(SchemeFactory)
    name = factory.Sequence(lambda n: f"Household {n}")
    postcode = "CF10 1AA"


class MemberFactory(UnscopedFactory):
    class Meta:
        model = "carers.Member"

    household = factory.SubFactory(HouseholdFactory)
    full_name = factory.Sequence(lambda n: f"Carer {n}")
    date_of_birth = date(1975, 1, 1)
    is_carer = True


class PanelFactory(UnscopedFactory):
    class Meta:
        model = "carers.Panel"

    scheme = factory.SubFactory(SchemeFactory)
    meets_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))


class PanelItemFactory(UnscopedFactory):
    class Meta:
        model = "carers.PanelItem"

    panel = factory.SubFactory(PanelFactory)
    household = factory.SubFactory(HouseholdFactory, scheme=factory.SelfAttribute("..panel.scheme"))
    assessment_report = "A warm, experienced household."


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CheckWithEvidenceFactory(UnscopedFactory):
    class Meta:
        model = "carers.Check"

    household = factory.SubFactory(HouseholdFactory)
    kind = "insurance"
    # Half-way through its year whatever day the suite runs on: neither expiring (within 60 days) nor expired.
    done_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=182))
    expires_on = factory.LazyAttribute(lambda check: check.done_on + timedelta(days=365))
    evidence = factory.django.FileField(filename="insurance.pdf", data=PDF_BYTES)
    evidence_name = "insurance.pdf"
    evidence_type = "application/pdf"


class ReferralFactory(UnscopedFactory):
    class Meta:
        model = "matching.Referral"

    scheme = factory.SubFactory(SchemeFactory)
    person = factory.SubFactory(PersonFactory, scheme=factory.SelfAttribute("..scheme"))
    source = "social_worker"
    funding = "council"
    support_type = "long_term"
    wanted_from = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class MatchFactory(UnscopedFactory):
    class Meta:
        model = "matching.Match"

    referral = factory.SubFactory(ReferralFactory)
    scheme = factory.SelfAttribute("referral.scheme")
    household = factory.SubFactory(HouseholdFactory, scheme=factory.SelfAttribute("..referral.scheme"))


class ArrangementFactory(UnscopedFactory):
    class Meta:
        model = "matching.Arrangement"

    scheme = factory.SubFactory(SchemeFactory)
    person = factory.SubFactory(PersonFactory, scheme=factory.SelfAttribute("..scheme"))
    household = factory.SubFactory(HouseholdFactory, scheme=factory.SelfAttribute("..scheme"))
    type = "short_breaks"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    funder = "council"


class BookingFactory(UnscopedFactory):
    class Meta:
        model = "matching.Booking"

    arrangement = factory.SubFactory(ArrangementFactory)
    scheme = factory.SelfAttribute("arrangement.scheme")
    household = factory.SelfAttribute("arrangement.household")
    person = factory.SelfAttribute("arrangement.person")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=2))
    last_day = factory.LazyAttribute(lambda o: o.ends_on - timedelta(days=1))


class VisitFactory(UnscopedFactory):
    class Meta:
        model = "matching.Visit"

    arrangement = factory.SubFactory(ArrangementFactory)
    scheme = factory.SelfAttribute("arrangement.scheme")
    kind = "review"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=5))


class IncidentFactory(UnscopedFactory):
    class Meta:
        model = "matching.Incident"

    arrangement = factory.SubFactory(ArrangementFactory)
    scheme = factory.SelfAttribute("arrangement.scheme")
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    category = "accident"
    severity = "low"
    what_happened = "Slipped on the garden path; a grazed knee, cleaned and dressed."


class IncidentActionFactory(UnscopedFactory):
    class Meta:
        model = "matching.IncidentAction"

    incident = factory.SubFactory(IncidentFactory)
    action = "Grit the garden path"
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


class PaymentRunFactory(UnscopedFactory):
    class Meta:
        model = "matching.PaymentRun"

    scheme = factory.SubFactory(SchemeFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))


class RenewalUploadFactory(UnscopedFactory):
    class Meta:
        model = "carers.RenewalUpload"

    household = factory.SubFactory(HouseholdFactory)
    kind = "gas_safety"
    evidence = factory.django.FileField(filename="gas.pdf", data=PDF_BYTES)
    evidence_name = "gas.pdf"
    evidence_type = "application/pdf"


class TimesheetFactory(UnscopedFactory):
    class Meta:
        model = "matching.Timesheet"

    booking = factory.SubFactory(BookingFactory)
    scheme = factory.SelfAttribute("booking.scheme")
    household = factory.SelfAttribute("booking.household")
    miles = Decimal("12.0")


CARDIFF = (Decimal("51.48160"), Decimal("-3.17910"))


def approved_household(scheme, name, *, where=CARDIFF, interests="", **fields):
    """An approved household with a carer, a valid DBS and insurance, and room for two people."""
    from carers.models import Check, Stage
    from carers.rules import CheckKind

    today = timezone.localdate()
    defaults = dict(stage=Stage.APPROVED, terms_support_types=["long_term", "short_breaks", "day_support"],
                    terms_max_people=2, terms_needs=["learning_disability", "autism", "dementia"],
                    spare_bedrooms=1)  # fmt: skip
    household = HouseholdFactory(scheme=scheme, name=name, latitude=where[0], longitude=where[1],
                                 interests=interests, **{**defaults, **fields})  # fmt: skip
    carer = MemberFactory(household=household)
    with scopes_disabled():
        Check.objects.create(household=household, member=carer, kind=CheckKind.DBS, done_on=today - timedelta(days=10),
                             expires_on=today + timedelta(days=1000))  # fmt: skip
        Check.objects.create(household=household, kind=CheckKind.INSURANCE, done_on=today - timedelta(days=10),
                             expires_on=today + timedelta(days=300))  # fmt: skip
    return household
