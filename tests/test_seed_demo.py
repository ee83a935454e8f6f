import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from carers.models import CarerReview, Check, Household, Stage
from matching.models import Arrangement, Booking, Incident, IncidentAction, Match, Referral, Timesheet
from matching.selectors import places_taken
from outcomes.models import Answer, HelpMode, Survey
from schemes.models import AuditEvent, ImportantPlace, Membership, Notification, Person, Scheme, User
from schemes.permissions import Role
from tests.signin import second_step

TODAY = timezone.localdate()


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    with scopes_disabled():
        return (
            Scheme.objects.count(), User.objects.count(), Membership.objects.count(), Person.objects.count(),
            Household.objects.count(), Check.objects.count(), Arrangement.objects.count(), Booking.objects.count(),
            Survey.objects.count(), Answer.objects.count(), CarerReview.objects.count(), Referral.objects.count(),
            Incident.objects.count(), IncidentAction.objects.count(), Timesheet.objects.count(),
            AuditEvent.objects.count(), Notification.objects.count(),
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
        # three years of My Shared Life surveys, answered in every way, some links never used
        surveys = Survey.objects.all()
        assert surveys.filter(submitted_at__isnull=True).exists()
        answered = surveys.filter(submitted_at__isnull=False)
        assert set(answered.values_list("help_mode", flat=True)) == set(HelpMode.values)
        assert answered.filter(submitted_at__lt=timezone.now() - timedelta(days=700)).exists()
        assert set(Answer.objects.values_list("choice", flat=True)) >= {"better", "same", "worse", "skip"}
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
        if line["role"] == Role.CARER:  # a carer lands in their portal, which shows their own household
            home = client.get(reverse("home"), follow=True)
            assert home.request["PATH_INFO"] == reverse("portal:home", args=[line["scheme"]])
            assert "Things to do" in home.content.decode()
        elif line["scheme"]:  # staff are asked for the second step (set up at their first sign-in) before anything
            dashboard = reverse("dashboard", args=[line["scheme"]])
            assert client.get(dashboard)["Location"].startswith(reverse("two_factor"))
            second_step(client, User.objects.get(email=line["email"]))
            assert client.get(dashboard).status_code == 200


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
        arrangements = Arrangement.objects.filter(scheme__slug__startswith="national-")
        bookings = Booking.objects.filter(scheme__slug__startswith="national-")
        assert arrangements.count() + bookings.count() >= 60000
        assert Answer.objects.filter(survey__scheme__slug__startswith="national-").count() >= 100000
        assert {"long_term", "short_breaks"} <= set(arrangements.values_list("type", flat=True))
        assert arrangements.filter(ended_on__isnull=False).count() > 3000
        assert (
            bookings.filter(starts_on__gt=TODAY).count() > 5000 and bookings.filter(starts_on__lt=TODAY).count() > 5000
        )
        # never more people in a household than its places, on any day of the bookings' six months or years back
        # the day-to-day records that lists show, in proportion, among the whole sector's rows
        in_national = {"scheme__slug__startswith": "national-"}
        assert CarerReview.objects.filter(household__in=national).count() > 5000  # about one a year since approval
        assert Referral.objects.filter(**in_national).count() == 150 * 60
        incidents = Incident.objects.filter(**in_national)
        assert 0.2 < incidents.count() / arrangements.count() < 0.4
        assert incidents.filter(closed_on__isnull=True).exists() and incidents.filter(closed_on__isnull=False).exists()
        assert IncidentAction.objects.filter(incident__in=incidents).count() > incidents.count() / 2
        timesheets = Timesheet.objects.filter(**in_national)
        ended = bookings.filter(last_day__lt=TODAY)
        three_weeks = ended.filter(last_day__gte=TODAY - timedelta(days=21))
        assert timesheets.count() == ended.exclude(pk__in=three_weeks).count() + timesheets.filter(
            booking__in=three_weeks).count()  # fmt: skip
        assert 0.3 < timesheets.filter(booking__in=three_weeks).count() / three_weeks.count() < 0.7
        waiting = timesheets.filter(status=Timesheet.Status.SENT)
        assert waiting.exists() and not waiting.filter(booking__last_day__lt=TODAY - timedelta(days=7)).exists()
        assert AuditEvent.objects.filter(**in_national).count() == 150 * 600
        assert Notification.objects.filter(**in_national, read_at__isnull=True).count() == 150 * 5 * 2
        places = dict(national.values_list("pk", "terms_max_people"))
        for day in [TODAY + timedelta(days=n) for n in range(-95, 95, 3)] + [TODAY - timedelta(days=1450)]:
            over = {h: n for h, n in places_taken(on=day).items() if h in places and n > (places[h] or 0)}
            assert over == {}, (day, over)
    seed("--scale", "national")
    assert counts() == first
