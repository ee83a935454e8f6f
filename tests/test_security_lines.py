"""SECURITY.md lines not covered by a feature's own tests: jobs and the broker, all-or-nothing changes, and logs."""

import logging

import pytest
from celery import current_app
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

import sharedlives.celery  # noqa: F401  (registers every task)
from matching.models import Arrangement, Visit
from matching.services import arrangement_start
from schemes.models import Person
from schemes.permissions import Role
from tests.factories import PASSWORD, PersonFactory, approved_household


def test_the_brokers_visibility_timeout_is_longer_than_any_wait_a_job_uses():
    """Redis hands an unacknowledged job to another worker after the visibility timeout: a retry waiting longer, or
    a job running longer, would be run twice."""
    current_app.loader.import_default_modules()
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    ours = {name: task for name, task in current_app.tasks.items() if name.split(".")[0] in
            ("schemes", "carers", "matching", "outcomes", "sharedlives")}  # fmt: skip
    assert len(ours) >= 8, sorted(ours)
    for name, task in ours.items():
        longest_wait = getattr(task, "retry_backoff_max", 0) if getattr(task, "autoretry_for", ()) else 0
        longest_run = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert longest_wait < timeout and longest_run < timeout, name


@pytest.mark.django_db
def test_a_failure_half_way_through_starting_an_arrangement_leaves_nothing_behind(world, monkeypatch):
    scheme = world.a.scheme
    person = PersonFactory(scheme=scheme, status=Person.Status.REFERRED)
    real_save = Person.save

    def failing_save(self, *args, **kwargs):  # the last step: marking the person as supported
        if kwargs.get("update_fields") == ["status"]:
            raise RuntimeError("the database went away")
        return real_save(self, *args, **kwargs)

    household = approved_household(scheme, "Evans")
    monkeypatch.setattr(Person, "save", failing_save)
    with scope(scheme=scheme), pytest.raises(RuntimeError):
        arrangement_start(scheme=scheme, person=person, household=household, type="short_breaks",
                          starts_on=timezone.localdate(), funder="council", by=None)  # fmt: skip
    with scopes_disabled():
        assert not Arrangement.objects.filter(person=person).exists()
        assert not Visit.objects.filter(arrangement__person=person).exists()
        assert Person.objects.get(pk=person.pk).status == Person.Status.REFERRED


@pytest.mark.django_db
def test_logs_never_hold_passwords_session_ids_or_health_details(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    user = world.a.user(Role.COORDINATOR)
    client.post(reverse("login"), {"username": user.email, "password": "Wrong-Passw0rd-123"})
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    session_id = client.cookies["sessionid"].value
    client.force_login(user)
    person = world.a.person
    url = reverse("schemes:person_update", args=["alpha", person.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, [])}
    data.update(health="Type 1 diabetes; insulin twice a day", risks="Seizures at night", date_of_birth="1990-05-17")
    client.post(url, data)
    client.get(reverse("schemes:person_detail", args=["alpha", person.pk]))
    client.get("/s/alpha/people/999999/")  # a 404 is logged by Django
    logged = caplog.text
    assert "django.request" in logged or caplog.records, "nothing was logged: the test would prove nothing"
    for secret in ("Wrong-Passw0rd-123", PASSWORD, session_id, "Type 1 diabetes", "Seizures at night"):
        assert secret not in logged, secret
