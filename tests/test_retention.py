"""Retention (SECURITY.md): records past their retention period are anonymised by a job that is safe to run twice."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from matching.models import Arrangement, Incident, Referral
from schemes.dates import add_months
from schemes.models import AuditEvent, ImportantPlace, Notification, Person
from schemes.permissions import Role
from schemes.retention import REMOVED, cutoff_for, due, retention_run
from schemes.tasks import retention_sweep
from tests.factories import ArrangementFactory, IncidentFactory, PersonFactory, ReferralFactory, SchemeFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def years_on(years: int, days: int = 0):
    return add_months(TODAY, 12 * years) + timedelta(days=days)  # 29 February: the 28th, as the retention rule


def supported_and_ended(scheme, *, ended_on=TODAY):
    person = PersonFactory(scheme=scheme, given_name="Gwenllian", family_name="Pritchard", preferred_name="Gwen",
                           what_matters="Seeing my sister in Bangor", health="Epilepsy",
                           contacts="Sister: 07700 900123", status=Person.Status.ENDED)  # fmt: skip
    ImportantPlace.objects.create(person=person, name="Sister's house", latitude=53.2, longitude=-4.1)
    arrangement = ArrangementFactory(scheme=scheme, person=person, starts_on=ended_on - timedelta(days=400),
                                     ended_on=ended_on, end_reason="moved",
                                     end_note="Moved to live with her sister")  # fmt: skip
    IncidentFactory(arrangement=arrangement, what_happened="Gwen had a seizure at the café; ambulance called.")
    ReferralFactory(scheme=scheme, person=person, status=Referral.Status.MATCHED, notes="Referred by Gwynedd team")
    return person


def run(scheme, today):
    with scope(scheme=scheme):
        return retention_run(scheme, today=today)


def test_on_29_february_the_cutoff_is_the_28th_that_many_years_before():
    england, wales = SchemeFactory(nation="england"), SchemeFactory(nation="wales")
    assert cutoff_for(england, date(2028, 2, 29))[0] == date(2020, 2, 29)  # 8 years: a leap year again
    assert cutoff_for(wales, date(2028, 2, 29))[0] == date(2025, 2, 28)  # 3 years


def test_in_england_records_are_anonymised_8_years_after_support_ends_and_only_once(world):
    scheme = world.a.scheme
    person = supported_and_ended(scheme)
    assert run(scheme, years_on(8, -1)) == 0, "not a day early"
    assert run(scheme, years_on(8, 1)) == 1
    assert run(scheme, years_on(8, 2)) == 0, "safe to run twice"
    with scopes_disabled():
        person.refresh_from_db()
        assert (person.given_name, person.family_name) == ("Anonymised", f"person {person.pk}")
        assert (
            person.date_of_birth == person.date_of_birth.replace(month=1, day=1) and person.date_of_birth.year == 1990
        )
        assert person.what_matters == person.health == person.contacts == person.preferred_name == ""
        assert person.anonymised_at is not None
        assert not ImportantPlace.objects.filter(person=person).exists()
        arrangement = Arrangement.objects.get(person=person)
        assert arrangement.end_note == REMOVED and arrangement.ended_on == TODAY, "dates stay for the figures"
        assert Incident.objects.get(arrangement=arrangement).what_happened == REMOVED
        assert Referral.objects.get(person=person).notes == REMOVED
        everything = str(list(AuditEvent.objects.filter(person=person).values())) + str(
            list(Notification.objects.values("subject", "body"))
        )
        assert "Gwenllian" not in everything and "Pritchard" not in everything
        assert AuditEvent.objects.filter(person=person, what="anonymised (retention)").count() == 1
        note = Notification.objects.get(
            recipient=world.a.user(Role.REGISTERED_MANAGER), subject__startswith="Retention"
        )
        assert note.subject == "Retention: the records of 1 person were anonymised" and str(person.pk) in note.body


def test_someone_still_supported_or_waiting_is_never_anonymised(world):
    scheme = world.a.scheme
    open_support = ArrangementFactory(scheme=scheme).person
    waiting = ReferralFactory(scheme=scheme, status=Referral.Status.MATCHING).person
    waiting.status = Person.Status.REFERRED
    waiting.save()
    with scope(scheme=scheme):
        kept = set(due(scheme, today=years_on(30)).values_list("pk", flat=True))
    assert open_support.pk not in kept and waiting.pk not in kept


def test_in_wales_it_is_3_years_after_the_last_entry(world):
    scheme = world.b.scheme  # in Wales
    person = supported_and_ended(scheme, ended_on=TODAY - timedelta(days=30))
    assert run(scheme, years_on(3, -1)) == 0
    assert run(world.a.scheme, years_on(3, 1)) == 0, "England's schemes keep theirs for 8 years"
    assert run(scheme, years_on(3, 1)) == 1
    with scopes_disabled():
        person.refresh_from_db()
        assert person.given_name == "Anonymised"
        assert Person.objects.filter(scheme=world.a.scheme, anonymised_at__isnull=False).count() == 0


def test_a_scheme_may_keep_records_longer(world, client):
    scheme = world.a.scheme
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    page = client.get(reverse("schemes:settings", args=["alpha"]))
    form = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    refused = client.post(reverse("schemes:settings", args=["alpha"]), {**form, "retention_years": "1"})
    assert "Ensure this value is greater than or equal to 3." in refused.content.decode()
    scheme.refresh_from_db()
    assert scheme.retention_years is None
    scheme.retention_years = 10
    scheme.save()
    supported_and_ended(scheme)
    assert run(scheme, years_on(9)) == 0
    assert run(scheme, years_on(10, 1)) == 1


def test_the_nightly_job_goes_through_every_scheme_and_says_what_it_did(world):
    supported_and_ended(world.a.scheme)
    with time_machine.travel(years_on(8, 5), tick=False):
        assert retention_sweep.delay().get() == {"alpha": 1, "beta": 0}
        assert retention_sweep.delay().get() == {"alpha": 0, "beta": 0}
