"""The audit trail: who saw or changed what, which scheme, when; never a password or a health detail."""

import json

from django.contrib.admin.sites import site
from django.urls import reverse
from django_scopes import scopes_disabled

from schemes.models import AuditEvent
from schemes.permissions import Role
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
    viewed, changed = events(person=person)
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
