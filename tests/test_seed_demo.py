import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from carers.models import Check, Household, Stage
from matching.models import Match, Referral
from schemes.models import ImportantPlace, Membership, Person, Scheme, User
from schemes.permissions import Role


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    with scopes_disabled():
        return (
            Scheme.objects.count(), User.objects.count(), Membership.objects.count(), Person.objects.count(),
            Household.objects.count(), Check.objects.count(),
        )  # fmt: skip


@pytest.mark.django_db
def test_demo_has_an_english_and_a_welsh_scheme_with_every_role_and_a_second_run_adds_nothing():
    seed()
    first = counts()
    with scopes_disabled():
        stages = set(Household.objects.values_list("stage", flat=True))
        assert stages == {s.value for s in Stage}
        assert Household.objects.filter(suspended_on__isnull=False).exists()
        assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)
        assert Match.objects.filter(status="started").exists()
        assert ImportantPlace.objects.exists()
    seed()
    assert counts() == first
    nations = set(Scheme.objects.values_list("nation", flat=True))
    assert nations == {"england", "wales"}
    for scheme in Scheme.objects.all():
        roles = set(Membership.objects.filter(scheme=scheme).values_list("role", flat=True))
        assert roles == set(Role.values)


@pytest.mark.django_db
def test_json_lists_every_login_and_each_one_signs_in(client):
    lines = [json.loads(line) for line in seed("--json").splitlines()]
    assert {"scheme", "role", "email", "password"} == set(lines[0])
    staff = [line for line in lines if line["scheme"]]
    assert {line["role"] for line in staff} == set(Role.values)
    for line in lines:
        client.logout()
        assert client.login(username=line["email"], password=line["password"]), line
        if line["scheme"]:
            assert client.get(reverse("dashboard", args=[line["scheme"]])).status_code == 200


@pytest.mark.django_db
def test_the_printed_logins_include_the_password():
    out = seed()
    assert "shared-lives-demo" in out
    assert "registered.manager@riverside.example" in out


@pytest.mark.django_db
def test_national_scale_builds_150_schemes_with_staff_and_people():
    seed("--scale", "national")
    first = counts()
    assert Scheme.objects.filter(slug__startswith="national-").count() == 150
    assert Membership.objects.filter(scheme__slug="national-150").count() == len(Role.values)
    with scopes_disabled():
        assert Person.objects.filter(scheme__slug__startswith="national-").count() == 15000
        national = Household.objects.filter(scheme__slug__startswith="national-")
        assert national.count() == 10000
        assert national.filter(stage=Stage.APPROVED).count() > 5000
        assert Check.objects.filter(household__in=national.filter(stage=Stage.APPROVED)).count() > 5000 * 15
    seed("--scale", "national")
    assert counts() == first
