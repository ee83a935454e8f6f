"""Matching: each hard rule excludes with its reason; the ranking is the one a person would choose, and says why."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from carers.models import Check, Stage
from carers.rules import CheckKind
from matching import services
from matching.models import Match, Referral
from schemes.models import ImportantPlace, Person
from tests.factories import HouseholdFactory, MemberFactory, PersonFactory

TODAY = timezone.localdate()
CARDIFF = (Decimal("51.48160"), Decimal("-3.17910"))
PENARTH = (Decimal("51.43860"), Decimal("-3.17350"))  # ~5 km from Cardiff centre
SWANSEA = (Decimal("51.62140"), Decimal("-3.94360"))  # ~55 km away


def approved(scheme, name, *, where=CARDIFF, interests="", **fields):
    """An approved household with a carer, a valid DBS and insurance, and room for two people."""
    defaults = dict(stage=Stage.APPROVED, terms_support_types=["long_term", "short_breaks"], terms_max_people=2,
                    terms_needs=["learning_disability", "autism", "dementia"], spare_bedrooms=1)  # fmt: skip
    household = HouseholdFactory(scheme=scheme, name=name, latitude=where[0], longitude=where[1],
                                 interests=interests, **{**defaults, **fields})  # fmt: skip
    carer = MemberFactory(household=household)
    with scopes_disabled():
        Check.objects.create(household=household, member=carer, kind=CheckKind.DBS, done_on=TODAY - timedelta(days=10),
                             expires_on=TODAY + timedelta(days=1000))  # fmt: skip
        Check.objects.create(household=household, kind=CheckKind.INSURANCE, done_on=TODAY - timedelta(days=10),
                             expires_on=TODAY + timedelta(days=300))  # fmt: skip
    return household


@pytest.fixture
def dai(world):
    """A stroke survivor leaving hospital: sarcastic humour, loves dogs, wants to stay near his partner in Cardiff."""
    person = PersonFactory(
        scheme=world.a.scheme, given_name="Dai", family_name="Roberts", interests="walking, rugby",
        personality="sarcastic humour", pets_liked=["dogs"], needs=["learning_disability"],
    )  # fmt: skip
    with scopes_disabled():
        ImportantPlace.objects.create(person=person, name="his partner's home", latitude=CARDIFF[0],
                                      longitude=CARDIFF[1], max_km=Decimal("20"))  # fmt: skip
    return person


def suggest(person, **kwargs):
    with scope(scheme=person.scheme):
        return services.suggest_carers(person, **kwargs)


def excluded_reasons(result, name):
    return next(j.excluded_because for j in result.excluded if j.name == name)


def test_the_household_a_person_would_choose_comes_first_and_says_why(world, dai):
    approved(world.a.scheme, "Hughes", interests="walking the dogs, sarcastic humour, rugby", has_dogs=True)
    approved(world.a.scheme, "Patel", interests="cooking, cricket")
    approved(world.a.scheme, "Jones", where=SWANSEA, interests="walking", has_dogs=True)
    result = suggest(dai)
    # Jones shares walking and has dogs, but is 55 km from his partner: staying close matters more to Dai.
    assert [j.name for j in result] == ["Hughes", "Patel", "Jones"]
    best = result.suggestions[0]
    assert best.reasons[:3] == ["shares: walking, rugby, sarcastic humour", "has dogs — loves dogs",
                                "0 km from his partner's home"]  # fmt: skip
    assert 0 <= result.suggestions[-1].score < best.score <= 100
    swansea = result.suggestions[2]
    assert "55 km from his partner's home — more than the 20 km wanted" in swansea.cautions


def test_the_ranking_is_deterministic_with_ties_ordered_by_name(world, dai):
    for name in ["Evans", "Bowen", "Cole"]:
        approved(world.a.scheme, name, interests="knitting")
    first = [j.name for j in suggest(dai)]
    assert first == ["Bowen", "Cole", "Evans"] == [j.name for j in suggest(dai)]


@pytest.mark.parametrize(
    ("household_fields", "person_fields", "reason"),
    [
        ({"stage": Stage.PANEL, "terms_max_people": None}, {}, "not approved yet (Panel)"),
        ({"suspended_on": TODAY}, {}, "suspended"),
        ({"terms_support_types": ["day_support"]}, {}, "not approved for long-term (live-in)"),
        ({"terms_needs": ["learning_disability"]}, {"needs": ["dementia"]}, "not approved for dementia"),
        ({"wheelchair_accessible": False}, {"needs_wheelchair_access": True}, "not wheelchair accessible"),
        ({"step_free": False}, {"needs_step_free": True}, "no step-free access"),
        ({"ground_floor_bedroom": False}, {"ground_floor_bedroom": "required"}, "no ground-floor bedroom"),
        ({"has_cats": True}, {"deal_breakers": ["cats"]}, "has cats — cannot live with cats"),
        ({"has_dogs": True}, {"deal_breakers": ["dogs"], "pets_liked": []}, "has dogs — cannot live with dogs"),
        ({"smokers": True}, {"deal_breakers": ["smoking"]}, "someone smokes at home"),
    ],
)
def test_each_hard_rule_excludes_the_household_with_its_reason(world, dai, household_fields, person_fields, reason):
    approved(world.a.scheme, "Rule breaker", **household_fields)
    for field, value in person_fields.items():
        setattr(dai, field, value)
    dai.save()
    with scopes_disabled():
        Referral.objects.create(
            scheme=world.a.scheme, person=dai, source="nhs", funding="nhs", support_type="long_term", wanted_from=TODAY
        )
    result = suggest(dai)
    assert [j.name for j in result] == []
    assert reason in excluded_reasons(result, "Rule breaker")


def test_expired_dbs_or_missing_insurance_excludes(world, dai):
    expired = approved(world.a.scheme, "Expired DBS")
    uninsured = approved(world.a.scheme, "No insurance")
    with scopes_disabled():
        Check.objects.filter(household=expired, kind=CheckKind.DBS).update(expires_on=TODAY - timedelta(days=1))
        Check.objects.filter(household=uninsured, kind=CheckKind.INSURANCE).delete()
    result = suggest(dai)
    assert excluded_reasons(result, "Expired DBS") == ["DBS or insurance expired or missing"]
    assert excluded_reasons(result, "No insurance") == ["DBS or insurance expired or missing"]


def test_an_adult_in_the_household_without_a_dbs_excludes(world, dai):
    household = approved(world.a.scheme, "Lodger")
    MemberFactory(household=household, is_carer=False, date_of_birth=date(1990, 1, 1))
    assert excluded_reasons(suggest(dai), "Lodger") == ["DBS or insurance expired or missing"]


def test_a_full_household_has_no_free_place(world, dai):
    household = approved(world.a.scheme, "Full", terms_max_people=1)
    other = PersonFactory(scheme=world.a.scheme)
    with scopes_disabled():
        referral = Referral.objects.create(scheme=world.a.scheme, person=other, source="nhs", funding="nhs",
                                           support_type="long_term", wanted_from=TODAY, status="matched")  # fmt: skip
        Match.objects.create(scheme=world.a.scheme, referral=referral, household=household, status="started",
                             started_on=TODAY - timedelta(days=30))  # fmt: skip
    assert excluded_reasons(suggest(dai), "Full") == [f"no free place on {TODAY:%d %b %Y}"]


def test_a_preferred_ground_floor_bedroom_is_a_caution_not_a_rule(world, dai):
    approved(world.a.scheme, "Upstairs", ground_floor_bedroom=False)
    dai.ground_floor_bedroom = Person.GroundFloor.PREFERRED
    dai.save()
    [only] = suggest(dai).suggestions
    assert "no ground-floor bedroom — might manage stairs" in only.cautions


def test_welsh_speakers_are_matched_with_welsh_speaking_carers(world, dai):
    dai.languages = "Welsh, English"
    dai.save()
    approved(world.a.scheme, "Cymraeg", languages="Welsh, English")
    approved(world.a.scheme, "English only", languages="English")
    result = suggest(dai)
    assert [j.name for j in result] == ["Cymraeg", "English only"]
    assert "speaks Welsh" in result.suggestions[0].reasons
    assert "does not speak Welsh" in result.suggestions[1].cautions


def test_scheme_weights_change_the_order(world, dai):
    approved(world.a.scheme, "Near", where=PENARTH, interests="")
    approved(world.a.scheme, "Far but fun", where=SWANSEA, interests="walking, rugby, sarcastic humour")
    assert [j.name for j in suggest(dai)][0] == "Far but fun"
    world.a.scheme.matching_weights = {"interests": 0, "distance": 100, "experience": 0, "pets": 0, "language": 0,
                                       "faith": 0, "household": 0}  # fmt: skip
    world.a.scheme.save()
    dai.refresh_from_db()
    assert [j.name for j in suggest(dai)][0] == "Near"


def test_weights_must_cover_every_part_and_add_up_to_100(world):
    scheme = world.a.scheme
    scheme.matching_weights = {"interests": 50, "distance": 60}
    with pytest.raises(ValidationError, match="adding up to 100"):
        scheme.full_clean()


def test_another_schemes_households_are_never_suggested(world, dai):
    approved(world.b.scheme, "Other scheme", interests="walking, rugby, sarcastic humour", has_dogs=True)
    result = suggest(dai)
    assert result.suggestions == [] and result.excluded == []


def test_suggestions_take_a_fixed_number_of_queries(world, dai, django_assert_max_num_queries):
    for n in range(30):
        approved(world.a.scheme, f"Household {n:02d}", interests="walking")
    with django_assert_max_num_queries(6):
        result = suggest(dai)
    assert len(result) == 10
