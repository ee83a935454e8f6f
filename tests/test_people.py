"""People we support: adding, changing, searching; bad input gets a clear message and nothing is saved."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from schemes.models import Person
from schemes.permissions import Role
from tests.factories import PersonFactory

GOOD = {
    "given_name": "Siân",
    "family_name": "Llewellyn-Ab Iorwerth",
    "preferred_name": "",
    "date_of_birth": "1988-03-14",
    "status": "referred",
    "what_matters": "My cat and Welsh choir.",
    "ground_floor_bedroom": "not_needed",
    "carer_gender": "any",
}


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    return client


def add_url(world):
    return reverse("schemes:person_create", args=[world.a.scheme.slug])


def count_people() -> int:
    with scopes_disabled():
        return Person.objects.count()


def test_a_coordinator_adds_a_person_with_a_welsh_name(coordinator_client, world):
    response = coordinator_client.post(add_url(world), GOOD, follow=True)
    assert response.status_code == 200
    assert "Siân Llewellyn-Ab Iorwerth" in response.content.decode()
    with scopes_disabled():
        person = Person.objects.get(given_name="Siân")
    assert person.scheme == world.a.scheme


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", (date.today() + timedelta(days=3)).isoformat(), "cannot be in the future"),
        ("date_of_birth", (date.today() - timedelta(days=365 * 15)).isoformat(), "aged 16 and over"),
        ("date_of_birth", "14/03/banana", "Enter a valid date"),
        ("given_name", "", "This field is required"),
        ("given_name", "x" * 10_000, "at most 100 characters"),
        ("what_matters", "y" * 10_000, "at most 4000 characters"),
        ("status", "deleted", "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(
    coordinator_client, world, field, value, message
):
    before = count_people()
    response = coordinator_client.post(add_url(world), {**GOOD, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert count_people() == before


def test_script_and_sql_looking_text_is_stored_as_text_and_shown_escaped(coordinator_client, world):
    nasty = {"given_name": "<script>alert(1)</script>", "family_name": "'; DROP TABLE schemes_person; --"}
    response = coordinator_client.post(add_url(world), {**GOOD, **nasty}, follow=True)
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert count_people() == 3


def test_a_change_is_saved(coordinator_client, world):
    person = world.a.person
    url = reverse("schemes:person_update", args=[world.a.scheme.slug, person.pk])
    response = coordinator_client.post(url, {**GOOD, "given_name": "Ffion", "status": "supported"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.given_name, person.status) == ("Ffion", "supported")


def test_the_list_is_searchable_and_paginated_with_a_fixed_number_of_queries(
    coordinator_client, world, django_assert_num_queries
):
    PersonFactory.create_batch(60, scheme=world.a.scheme, family_name="Many")
    url = reverse("schemes:person_list", args=[world.a.scheme.slug])
    # session, user, membership+scheme, count, one page of people, and a savepoint pair from ATOMIC_REQUESTS
    # (the session is refreshed at most once a minute); the number does not grow with the people listed.
    with django_assert_num_queries(7):
        response = coordinator_client.get(url, {"q": "many"})
    assert response.context["page_obj"].paginator.count == 60
    assert len(response.context["page_obj"].object_list) == 25
    with django_assert_num_queries(7):
        coordinator_client.get(url, {"q": "many", "page": 3})


def test_read_only_staff_see_people_but_not_the_add_button(client, world):
    client.force_login(world.a.user(Role.READ_ONLY))
    page = client.get(reverse("schemes:person_list", args=[world.a.scheme.slug])).content.decode()
    assert world.a.person.display_name in page
    assert "Add a person" not in page


def test_age_rule_lives_in_the_model_not_only_the_form(world):
    from django.core.exceptions import ValidationError

    from schemes.services import person_create

    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        person_create(
            scheme=world.a.scheme,
            given_name="Young",
            family_name="Person",
            date_of_birth=timezone.localdate() - timedelta(days=365 * 10),
        )
    assert "date_of_birth" in refused.value.message_dict


def test_a_deal_breaker_that_contradicts_a_like_is_refused_by_the_field(coordinator_client, world):
    data = {**GOOD, "pets_liked": ["dogs"], "deal_breakers": ["dogs", "smoking"]}
    response = coordinator_client.post(add_url(world), data)
    assert response.context["form"].errors["deal_breakers"] == ["Dogs cannot be both loved and a deal-breaker."]
    assert count_people() == 2


def test_a_place_that_matters_cannot_have_a_negative_distance(coordinator_client, world):
    url = reverse("schemes:place_add", args=["alpha", world.a.person.pk])
    bad = coordinator_client.post(
        url, {"name": "Partner's home", "latitude": "51.48", "longitude": "-3.18", "max_km": "-5"}
    )
    assert "greater than or equal to 0" in str(bad.context["form"].errors["max_km"])
    good = coordinator_client.post(
        url, {"name": "Partner's home", "latitude": "51.48", "longitude": "-3.18", "max_km": "10"}
    )
    assert good.status_code == 302
    page = coordinator_client.get(world.a.person.get_absolute_url()).content.decode()
    assert "Partner&#x27;s home" in page and "within 10.0 km" in page


def test_risk_and_health_are_shown_only_to_staff_allowed_to_see_them(client, world):
    person = world.a.person
    person.risks = "Leaves the house at night"
    person.health = "Epilepsy"
    person.save()
    client.force_login(world.a.user(Role.COORDINATOR))
    assert "Leaves the house at night" in client.get(person.get_absolute_url()).content.decode()
    for role in (Role.READ_ONLY, Role.FINANCE_OFFICER):
        client.force_login(world.a.user(role))
        page = client.get(person.get_absolute_url()).content.decode()
        assert "Leaves the house at night" not in page and "Epilepsy" not in page


def test_staff_without_the_restricted_permission_cannot_change_risks_even_by_posting_them(client, world):
    from schemes.models import Membership

    # A role with manage_people but not view_restricted does not exist yet; build one for this test.
    from schemes.permissions import ROLE_PERMISSIONS

    original = ROLE_PERMISSIONS[Role.READ_ONLY]
    ROLE_PERMISSIONS[Role.READ_ONLY] = original | {"manage_people"}
    try:
        person = world.a.person
        person.risks = "Original risk note"
        person.save()
        with scopes_disabled():
            user = Membership.objects.get(scheme=world.a.scheme, role=Role.READ_ONLY).user
        client.force_login(user)
        url = reverse("schemes:person_update", args=["alpha", person.pk])
        form = client.get(url).context["form"]
        assert "risks" not in form.fields
        client.post(url, {**GOOD, "risks": "Overwritten", "scheme": world.b.scheme.pk})
        person.refresh_from_db()
        assert person.risks == "Original risk note" and person.scheme == world.a.scheme
        assert person.given_name == "Siân"
    finally:
        ROLE_PERMISSIONS[Role.READ_ONLY] = original
