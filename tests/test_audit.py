"""The audit trail: who saw or changed what, which scheme, when; never a password or a health detail."""

import json

from django.contrib.admin.sites import site
from django.urls import reverse
from django_scopes import scopes_disabled

from schemes.models import AuditEvent
from schemes.permissions import Role
from tests.factories import PersonFactory
from tests.test_people import GOOD


def events(**filters):
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**filters).order_by("pk"))


def test_viewing_and_changing_a_persons_record_is_on_the_trail_without_health_details(client, world):
    person = world.a.person
    coordinator = world.a.user(Role.COORDINATOR)
    client.force_login(coordinator)
    client.get(person.get_absolute_url())
    data = {**GOOD, "given_name": "Rhodri", "health": "Type 1 diabetes", "risks": ""}
    client.post(reverse("schemes:person_update", args=["alpha", person.pk]), data)
    viewed, changed = events(person=person, what="person")
    assert (viewed.action, viewed.user, viewed.scheme) == ("viewed", coordinator, world.a.scheme)
    assert changed.action == "changed"
    assert changed.changes["given_name"] == ["Person-alpha", "Rhodri"]
    assert changed.changes["health"] == ["(restricted: not recorded)"] * 2
    assert "diabetes" not in json.dumps([e.changes for e in events()]) + "".join(e.description for e in events())


def test_a_failed_sign_in_is_recorded_without_the_password(client, world):
    client.post(reverse("login"), {"username": "coordinator@alpha.example", "password": "guessed-password-1"})
    [failed] = events(action="sign_in_failed")
    assert failed.description == "coordinator@alpha.example" and failed.scheme is None
    assert "guessed-password-1" not in json.dumps(failed.changes) + failed.description


def test_downloading_evidence_and_viewing_checks_are_recorded(client, world):
    client.force_login(world.a.user(Role.READ_ONLY))
    client.get(world.a.household.get_absolute_url())
    client.get(reverse("carers:check_evidence", args=["alpha", world.a.check.pk]))
    assert [(e.action, e.what) for e in events(scheme=world.a.scheme)] == [
        ("viewed", "carer household and its checks"),
        ("downloaded", "evidence: Home insurance"),
    ]


def test_a_manager_searches_the_trail_by_person_and_sees_only_their_scheme(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    client.get(world.a.person.get_absolute_url())
    client.force_login(world.b.user(Role.COORDINATOR))
    client.get(world.b.person.get_absolute_url())
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    url = reverse("schemes:audit", args=["alpha"])
    page = client.get(url, {"person": world.a.person.pk})
    shown = list(page.context["page_obj"])
    assert [e.person for e in shown] == [world.a.person]
    assert world.b.person.given_name not in page.content.decode()
    assert f"Only what concerns {world.a.person}." in page.content.decode()
    another_schemes = client.get(url, {"person": world.b.person.pk})
    assert "That person&#x27;s record is not in this scheme." in another_schemes.content.decode()
    assert not another_schemes.context["filter"].chosen_person


def test_the_trail_is_searched_by_the_persons_name_without_listing_everyone(client, world):
    other = PersonFactory(scheme=world.a.scheme, given_name="Gwenllian", family_name="Price")
    client.force_login(world.a.user(Role.COORDINATOR))
    for person in (world.a.person, other):
        client.get(person.get_absolute_url())
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    url = reverse("schemes:audit", args=["alpha"])
    page = client.get(url, {"person_name": "gwen price"})
    assert [e.person for e in page.context["page_obj"]] == [other]
    everyone = client.get(url).content.decode()
    assert '<input type="text" name="person_name"' in everyone and "<option" not in everyone.split('name="user"')[0]


def test_a_bad_date_is_marked_on_its_field_and_nothing_is_filtered(client, world):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    page = client.get(reverse("schemes:audit", args=["alpha"]), {"since": "31/02/2026"})
    html = page.content.decode()
    assert 'class="form-control is-invalid" aria-describedby="id_since_error"' in html
    assert '<div class="invalid-feedback d-block" id="id_since_error">Enter a valid date.</div>' in html


def test_nobody_can_change_or_delete_the_trail_in_the_admin(rf, world):
    admin = site._registry[AuditEvent]
    request = rf.get("/")
    assert not admin.has_change_permission(request) and not admin.has_delete_permission(request)
    assert not admin.has_add_permission(request)


def test_the_trail_page_has_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.a.user(Role.COORDINATOR))
    for _ in range(30):
        client.get(world.a.person.get_absolute_url())
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("schemes:audit", args=["alpha"]))
    assert len(response.context["page_obj"]) == 30


def test_every_change_to_scheme_data_is_on_the_trail_with_who_and_before_and_after(client, world):
    """Not only people's records: a household's details, a booking, a fee band - whatever a service saves."""
    household = world.a.household
    coordinator = world.a.user(Role.COORDINATOR)
    client.force_login(coordinator)
    url = reverse("carers:household_update", args=["alpha", household.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, [])}
    client.post(url, {**data, "phone": "029 2000 0000"})
    with scopes_disabled():
        line = AuditEvent.objects.filter(what="household", object_id=str(household.pk), action="changed").get()
    assert (line.user, line.scheme) == (coordinator, world.a.scheme)
    assert line.changes["phone"][1] == "029 2000 0000"
    booking = world.a.booking
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    client.post(reverse("matching:booking_cancel", args=["alpha", booking.pk]), {"reason": "Carer unwell"})
    with scopes_disabled():
        cancelled = AuditEvent.objects.get(what="booking", object_id=str(booking.pk), action="changed")
    assert cancelled.changes["status"] == ["confirmed", "cancelled"] and cancelled.person == booking.person


def test_jobs_and_deletions_are_on_the_trail_with_nobody_as_the_user(world):
    from django_scopes import scope

    from schemes.models import ImportantPlace

    place = ImportantPlace.objects.create(person=world.a.person, name="Day centre", latitude=51.5, longitude=-3.2)
    with scope(scheme=world.a.scheme):
        place.delete()
    with scopes_disabled():
        created, deleted = events(what="important place")
    assert (created.action, deleted.action) == ("created", "deleted")
    assert deleted.user is None and deleted.scheme == world.a.scheme and deleted.person == world.a.person
