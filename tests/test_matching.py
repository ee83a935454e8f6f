"""Matching: each hard rule excludes with its reason; the ranking is the one a person would choose, and says why."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from carers.models import Check, Stage
from carers.rules import CheckKind
from matching import services
from matching.models import Arrangement, FeeBand, Match, MatchStep, Referral
from schemes.models import ImportantPlace, Person
from schemes.permissions import Role
from tests.factories import CARDIFF, MatchFactory, MemberFactory, PersonFactory, ReferralFactory
from tests.factories import approved_household as approved

TODAY = timezone.localdate()
PENARTH = (Decimal("51.43860"), Decimal("-3.17350"))  # ~5 km from Cardiff centre
SWANSEA = (Decimal("51.62140"), Decimal("-3.94360"))  # ~55 km away


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


def referral_for(world, person):
    return ReferralFactory(scheme=world.a.scheme, person=person, wanted_from=TODAY)


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
    not_clear = approved(world.a.scheme, "DBS not clear")
    renewed = approved(world.a.scheme, "Renewed in time")
    with scopes_disabled():
        Check.objects.filter(household=expired, kind=CheckKind.DBS).update(expires_on=TODAY - timedelta(days=1))
        Check.objects.filter(household=uninsured, kind=CheckKind.INSURANCE).delete()
        Check.objects.filter(household=not_clear, kind=CheckKind.DBS).update(is_clear=False)
        # An expired certificate kept on record after its renewal does not count against the household.
        old = Check.objects.get(household=renewed, kind=CheckKind.DBS)
        Check.objects.filter(pk=old.pk).update(is_current=False, expires_on=TODAY - timedelta(days=1))
        Check.objects.create(household=renewed, member=old.member, kind=CheckKind.DBS, done_on=TODAY,
                             expires_on=TODAY + timedelta(days=900))  # fmt: skip
    result = suggest(dai)
    assert excluded_reasons(result, "Expired DBS") == ["DBS or insurance expired or missing"]
    assert excluded_reasons(result, "No insurance") == ["DBS or insurance expired or missing"]
    assert excluded_reasons(result, "DBS not clear") == ["DBS or insurance expired or missing"]
    assert "Renewed in time" in [j.name for j in result.suggestions]


def test_an_adult_in_the_household_without_a_dbs_excludes(world, dai):
    household = approved(world.a.scheme, "Lodger")
    MemberFactory(household=household, is_carer=False, date_of_birth=date(1990, 1, 1))
    assert excluded_reasons(suggest(dai), "Lodger") == ["DBS or insurance expired or missing"]


def test_a_full_household_has_no_free_place(world, dai):
    household = approved(world.a.scheme, "Full", terms_max_people=1)
    other = PersonFactory(scheme=world.a.scheme)
    with scope(scheme=world.a.scheme):
        band = FeeBand.objects.create(scheme=world.a.scheme, name="B", weekly_rate=400)
        services.arrangement_start(scheme=world.a.scheme, person=other, household=household, type="long_term",
                                   starts_on=TODAY - timedelta(days=30), funder="nhs", by=None,
                                   fee_band=band)  # fmt: skip
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


def test_suggestions_take_a_fixed_number_of_queries(world, dai):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    approved(world.a.scheme, "Just one", interests="walking")
    with CaptureQueriesContext(connection) as few:
        suggest(dai)
    for n in range(30):
        approved(world.a.scheme, f"Household {n:02d}", interests="walking")
    with CaptureQueriesContext(connection) as many:
        result = suggest(dai)
    assert len(result) == 10
    # open referral, places, places taken, the pool (checks asked in the database), score details: 5, for 1 or 31
    assert len(few) == len(many) == 5


# --- The journey through the pages ---------------------------------------------------------------------------------


def test_a_coordinator_records_a_referral_sees_suggestions_and_walks_a_match_to_its_start(client, world, dai):
    hughes = approved(world.a.scheme, "Hughes", interests="walking the dogs, sarcastic humour", has_dogs=True)
    approved(world.a.scheme, "Smokers", smokers=True)
    dai.deal_breakers = ["smoking"]
    dai.save()
    client.force_login(world.a.user(Role.COORDINATOR))
    response = client.post(reverse("matching:referral_create", args=["alpha"]), {
        "person": dai.pk, "source": "nhs", "referrer_name": "Stroke ward, UHW", "referred_on": TODAY,
        "funding": "nhs", "support_type": "long_term", "wanted_from": TODAY, "urgency": "urgent",
    })  # fmt: skip
    referral_url = response["Location"]
    page = client.get(referral_url).content.decode()
    assert "Hughes" in page and "shares: walking, sarcastic humour" in page and "has dogs — loves dogs" in page
    assert "Smokers</strong>: someone smokes at home" in page

    response = client.post(referral_url + "propose/", {"household": hughes.pk})
    match_url = response["Location"]
    with scopes_disabled():
        match = Match.objects.get(household=hughes)
        assert match.referral.status == Referral.Status.MATCHING and match.score > 0
    steps = [
        ("shared", {}), ("interested", {"carer_view": "He sounds great fun"}), ("introduction", {}), ("visits", {}),
        ("trial", {"person_view": "I liked the dogs"}), ("agreed", {}),
    ]  # fmt: skip
    for status, extra in steps:
        assert client.post(match_url + "step/", {"status": status, "on": TODAY, **extra}).status_code == 302, status
    assert "Start the arrangement" in client.get(match_url).content.decode()
    with scopes_disabled():
        band = FeeBand.objects.create(scheme=world.a.scheme, name="Band 2", weekly_rate=Decimal("450.00"))
    start_url = reverse("matching:arrangement_start", args=["alpha"]) + f"?match={match.pk}"
    response = client.post(start_url, {"type": "long_term", "starts_on": TODAY, "funder": "nhs", "fee_band": band.pk,
                                       "weekly_rent": "120.00", "weekly_contribution": "60.00"})  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    steps.append(("started", {}))
    with scopes_disabled():
        match.refresh_from_db()
        dai.refresh_from_db()
        assert (match.status, match.started_on, match.referral.status) == ("started", TODAY, "matched")
        assert dai.status == Person.Status.SUPPORTED
        assert list(MatchStep.objects.filter(match=match).values_list("status", flat=True)) == [
            "proposed", *[s for s, _ in steps]]  # fmt: skip
    page = client.get(match_url).content.decode()
    assert "I liked the dogs" in page and "He sounds great fun" in page


def test_a_household_breaking_a_hard_rule_cannot_be_proposed(client, world, dai):
    smokers = approved(world.a.scheme, "Smokers", smokers=True)
    dai.deal_breakers = ["smoking"]
    dai.save()
    referral = referral_for(world, dai)
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("matching:match_propose", args=["alpha", referral.pk])
    response = client.post(url, {"household": smokers.pk}, follow=True)
    assert "Cannot propose: someone smokes at home." in response.content.decode()
    with scopes_disabled():
        assert not Match.objects.filter(household=smokers).exists()


def test_steps_must_follow_in_order_and_a_decline_needs_the_carers_reason(client, world, dai):
    household = approved(world.a.scheme, "Hughes")
    referral = referral_for(world, dai)
    with scopes_disabled():
        match = services.match_propose(referral=referral, household=household, by=None)
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("matching:match_step", args=["alpha", match.pk])
    jump = client.post(url, {"status": "agreed", "on": TODAY})
    assert "Select a valid choice" in str(jump.context["form"].errors["status"])
    client.post(url, {"status": "shared", "on": TODAY})
    refused = client.post(url, {"status": "declined", "on": TODAY})
    assert refused.context["form"].errors["carer_view"] == ["Record the carer's reason for declining."]
    future = client.post(url, {"status": "declined", "on": TODAY + timedelta(days=3), "carer_view": "x"})
    assert future.context["form"].errors["on"] == ["This date cannot be in the future."]
    client.post(url, {"status": "declined", "on": TODAY, "carer_view": "We are away a lot this year"})
    with scopes_disabled():
        match.refresh_from_db()
    assert match.status == "declined"
    # Declined matches free the way to explore the same household again later.
    with scopes_disabled():
        again = services.match_propose(referral=referral, household=household, by=None)
    assert again.pk != match.pk


def test_starting_needs_a_free_place(world, dai):
    household = approved(world.a.scheme, "One place", terms_max_people=1)
    first, second = (
        referral_for(world, dai),
        referral_for(world, PersonFactory(scheme=world.a.scheme)),
    )
    with scope(scheme=world.a.scheme):
        band = FeeBand.objects.create(scheme=world.a.scheme, name="B", weekly_rate=400)
        a = services.match_propose(referral=first, household=household, by=None)
        b = services.match_propose(referral=second, household=household, by=None)
        for match in (a, b):
            for status in ["shared", "interested", "introduction", "visits", "trial", "agreed"]:
                services.match_step(match=match, by=None, status=status, on=TODAY)
        with pytest.raises(ValidationError, match="Start the arrangement"):
            services.match_step(match=a, by=None, status="started", on=TODAY)
        start = dict(scheme=world.a.scheme, household=household, type="long_term", starts_on=TODAY, funder="council",
                     by=None, fee_band=band)  # fmt: skip
        services.arrangement_start(person=first.person, match=a, **start)
        with pytest.raises(ValidationError, match="would support more than 1 at once"):
            services.arrangement_start(person=second.person, match=b, **start)
        b.refresh_from_db()
        assert b.status == "agreed" and not Arrangement.objects.filter(person=second.person).exists()


def test_closing_a_referral_needs_a_reason_and_ends_its_open_matches(client, world, dai):
    household = approved(world.a.scheme, "Hughes")
    referral = referral_for(world, dai)
    with scopes_disabled():
        match = services.match_propose(referral=referral, household=household, by=None)
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("matching:referral_status", args=["alpha", referral.pk])
    assert "Say why the referral is closed." in client.post(url, {"status": "closed", "reason": ""}).content.decode()
    client.post(url, {"status": "closed", "reason": "Moved to his sister's"})
    with scopes_disabled():
        match.refresh_from_db()
        referral.refresh_from_db()
    assert referral.status == "closed" and match.status == "ended" and "Moved to his sister's" in match.ended_reason


def test_the_anonymised_profile_shows_no_name_address_contacts_or_risks(client, world, dai):
    dai.contacts = "Partner: Sian, 07700 900123"
    dai.risks = "Falls at night"
    dai.what_matters = "Being near Sian"
    dai.save()
    household = approved(world.a.scheme, "Hughes")
    referral = referral_for(world, dai)
    with scopes_disabled():
        match = services.match_propose(referral=referral, household=household, by=None)
    client.force_login(world.a.user(Role.COORDINATOR))
    page = client.get(reverse("matching:match_profile", args=["alpha", match.pk])).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "Being near Sian" in main
    for secret in ("Dai", "Roberts", "07700 900123", "Falls at night"):
        assert secret not in main, secret


def test_the_board_lists_people_waiting_with_days_against_the_target_in_flat_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("matching:board", args=["alpha"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), response

    few, _ = queries()
    for n in range(15):
        person = PersonFactory(scheme=world.a.scheme, given_name=f"Waiting{n}")
        referral = ReferralFactory(scheme=world.a.scheme, person=person, referred_on=TODAY - timedelta(days=40))
        MatchFactory(referral=referral, household=approved(world.a.scheme, f"H{n}"))
    many, response = queries()
    assert many == few
    page = response.content.decode()
    assert "Waiting3" in page and "Over target" in page
