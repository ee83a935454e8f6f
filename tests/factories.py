"""Factories keep related objects in the same scheme. They write with scopes disabled, as setup code must."""

from datetime import date, timedelta

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
    done_on = date(2026, 6, 1)
    expires_on = date(2027, 6, 1)
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
