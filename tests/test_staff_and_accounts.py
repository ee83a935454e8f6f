"""Signing in and out, password reset, and a manager adding staff who then choose their own password."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from schemes.models import Membership, Person, User
from schemes.permissions import Role
from tests.factories import PASSWORD, PersonFactory, SchemeFactory
from tests.signin import second_step


def test_sign_in_with_email_rotates_the_session_and_lands_on_the_dashboard(client, world):
    client.get(reverse("login"))
    before = client.cookies.get("sessionid")
    response = client.post(reverse("login"), {"username": "coordinator@alpha.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != (before.value if before else None)
    page = client.get(response["Location"], follow=True)
    assert page.request["PATH_INFO"] == reverse("two_factor"), "staff are asked for the second step first"
    second_step(client, User.objects.get(email="coordinator@alpha.example"))
    page = client.get(response["Location"], follow=True)
    assert page.request["PATH_INFO"] == reverse("dashboard", args=["alpha"])
    assert "What needs doing today" in page.content.decode()


def test_a_wrong_password_gets_a_message_that_does_not_say_which_part_was_wrong(client, world):
    response = client.post(reverse("login"), {"username": "coordinator@alpha.example", "password": "wrong-one-1"})
    assert "Please enter a correct email address and password" in response.content.decode()


def test_sign_out_ends_the_session(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard", args=["alpha"])).status_code == 302


@pytest.mark.parametrize("email", ["coordinator@alpha.example", "nobody@nowhere.example"])
def test_password_reset_answers_the_same_whether_or_not_the_account_exists(client, world, email):
    response = client.post(reverse("password_reset"), {"email": email}, follow=True)
    assert "If that address belongs to an account" in response.content.decode()
    assert len(mail.outbox) == (1 if email.startswith("coordinator") else 0)


def test_someone_who_belongs_to_two_schemes_chooses_one(client, world):
    user = world.a.user(Role.COORDINATOR)
    with scopes_disabled():
        Membership.objects.create(user=user, scheme=world.b.scheme, role=Role.READ_ONLY)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert world.a.scheme.name in page and world.b.scheme.name in page


def test_a_manager_adds_staff_who_set_a_password_and_sign_in(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    url = reverse("schemes:staff_add", args=["alpha"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"full_name": "Ceri Ap Rhys", "email": "Ceri@Example.org", "role": "panel_member"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Alpha Shared Lives" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)

    client.post(reverse("logout"))
    form_page = client.get(link, follow=True)
    new_password = "four ordinary words together"
    client.post(form_page.request["PATH_INFO"], {"new_password1": new_password, "new_password2": new_password})
    assert client.login(username="ceri@example.org", password=new_password)
    second_step(client, User.objects.get(email="ceri@example.org"))
    dashboard = client.get(reverse("dashboard", args=["alpha"]))
    assert dashboard.status_code == 200
    assert dashboard.context["membership"].role == Role.PANEL_MEMBER


def test_short_and_common_passwords_are_refused(client, world):
    user = world.a.user(Role.COORDINATOR)
    client.force_login(user)
    from schemes.services import password_setup_link

    link = password_setup_link(user=user, base_url="")
    form_page = client.get(link, follow=True)
    for weak in ["short1", "password123"]:
        response = client.post(form_page.request["PATH_INFO"], {"new_password1": weak, "new_password2": weak})
        assert response.status_code == 200
        assert response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_manager_cannot_change_their_own_role(client, world):
    manager = world.a.members[Role.REGISTERED_MANAGER]
    client.force_login(manager.user)
    url = reverse("schemes:membership_edit", args=["alpha", manager.pk])
    response = client.post(url, {"role": "read_only", "is_active": "on"})
    assert "You cannot change your own role" in response.content.decode()
    manager.refresh_from_db()
    assert manager.role == Role.REGISTERED_MANAGER


def test_removing_someone_from_the_scheme_takes_their_access_away(client, world):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    target = world.a.members[Role.COORDINATOR]
    client.post(reverse("schemes:membership_edit", args=["alpha", target.pk]), {"role": "coordinator"})
    client.force_login(target.user)
    assert client.get(reverse("dashboard", args=["alpha"])).status_code == 404


def test_scheme_settings_never_allow_more_than_three_people(client, world):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    url = reverse("schemes:settings", args=["alpha"])
    form = client.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    response = client.post(url, {**data, "max_people_per_household": 4})
    assert "less than or equal to 3" in response.content.decode()
    world.a.scheme.refresh_from_db()
    assert world.a.scheme.max_people_per_household == 3
    response = client.post(url, {**data, "max_people_per_household": 2})
    assert response.status_code == 302
    world.a.scheme.refresh_from_db()
    assert world.a.scheme.max_people_per_household == 2


def test_the_three_person_cap_is_a_database_constraint(world):
    from django.db import IntegrityError, transaction

    from schemes.models import Scheme

    with pytest.raises(IntegrityError), transaction.atomic():
        Scheme.objects.filter(pk=world.a.scheme.pk).update(max_people_per_household=4)


def test_network_viewers_see_pooled_figures_and_no_scheme_names(client, world):
    viewer = User.objects.create_user("net@example.org", PASSWORD, full_name="Net", is_network_viewer=True)
    client.force_login(viewer)
    PersonFactory.create_batch(2, scheme=world.a.scheme)
    closed = SchemeFactory(nation=world.a.scheme.nation, is_active=False)
    PersonFactory(scheme=closed)
    response = client.get(reverse("network"))
    page = response.content.decode()
    assert "England" in page and "Wales" in page
    assert world.a.scheme.name not in page
    with scopes_disabled():
        expected = {
            scheme.nation: (1, Person.objects.filter(scheme=scheme).count())
            for scheme in (world.a.scheme, world.b.scheme)
        }
    assert {row["nation"]: (row["schemes"], row["people"]) for row in response.context["rows"]} == expected


def test_network_figures_are_counted_once_in_ten_minutes_whatever_the_size_of_the_sector(client, world):
    """Counting every scheme's people grows with the sector; the counts are kept for ten minutes, as the page says."""
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    client.force_login(User.objects.create_user("net@example.org", PASSWORD, full_name="Net", is_network_viewer=True))
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = client.get(reverse("network"))
        assert "counted again every ten minutes" in first.content.decode()
        PersonFactory(scheme=world.a.scheme)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(reverse("network"))
        assert not [q for q in queries.captured_queries if "schemes_person" in q["sql"]]
        assert again.context["rows"] == first.context["rows"]
        clock.shift(601)
        later = {row["nation"]: row["people"] for row in client.get(reverse("network")).context["rows"]}
    before = {row["nation"]: row["people"] for row in first.context["rows"]}
    assert later[world.a.scheme.nation] == before[world.a.scheme.nation] + 1


def test_scheme_staff_cannot_see_network_figures(client, world):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    assert client.get(reverse("network")).status_code == 403


def test_pages_outside_a_scheme_need_sign_in(client, world):
    for name in ("home", "network"):
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))


def test_matching_weights_are_numbers_that_must_add_up_to_100(client, world):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    url = reverse("schemes:settings", args=["alpha"])
    form = client.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    assert data["weight_interests"] == 30
    response = client.post(url, {**data, "weight_distance": 50})
    assert "The matching weights add up to 125; they must add up to 100." in response.content.decode()
    assert client.post(url, {**data, "weight_distance": 50, "weight_interests": 5}).status_code == 302
    world.a.scheme.refresh_from_db()
    assert world.a.scheme.matching_weights["distance"] == 50
    assert client.post(url, {**data}).status_code == 302  # back to the usual weights
    world.a.scheme.refresh_from_db()
    assert world.a.scheme.matching_weights == {}


def test_a_session_ends_after_30_minutes_without_activity_and_lasts_while_used(client, world):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    start = timezone.now()
    dashboard = reverse("dashboard", args=["alpha"])
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(world.a.user(Role.COORDINATOR))
        assert client.get(dashboard).status_code == 200
        for _ in range(3):  # in use for an hour and a half: never signed out
            clock.shift(timedelta(minutes=29))
            assert client.get(dashboard).status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get(dashboard).status_code == 302, "31 minutes idle: signed out"


def test_the_session_is_written_at_most_once_a_minute_not_on_every_page(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.a.user(Role.COORDINATOR))
    dashboard = reverse("dashboard", args=["alpha"])
    client.get(dashboard)
    with CaptureQueriesContext(connection) as queries:
        client.get(dashboard)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
