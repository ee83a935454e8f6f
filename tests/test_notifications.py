"""Notifications: the email goes out after commit, exactly once, and a failure can be retried."""

from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django_scopes import scopes_disabled

from schemes.models import Notification
from schemes.permissions import Role
from schemes.services import notification_create, notification_email_send
from schemes.tasks import notification_email


def make(world, **extra):
    with scopes_disabled():
        return notification_create(
            scheme=world.a.scheme, recipient=world.a.user(Role.COORDINATOR), subject="DBS renewal due", **extra
        )


def test_the_email_is_sent_once_the_transaction_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make(world)
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["DBS renewal due"]


def test_a_rollback_sends_nothing(world, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make(world)
        raise RuntimeError("something failed half-way")
    assert callbacks == []
    assert mail.outbox == []
    with scopes_disabled():
        assert not Notification.objects.filter(subject="DBS renewal due").exists()


def test_running_the_job_twice_sends_one_email(world):
    note = make(world)
    assert notification_email.apply(args=[note.pk]).get() is True
    assert notification_email.apply(args=[note.pk]).get() is False
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_released_for_the_retry(world):
    note = make(world)
    with (
        scopes_disabled(),
        mock.patch("schemes.email.EmailMultiAlternatives.send", side_effect=OSError("mail server down")),
        pytest.raises(OSError),
    ):
        notification_email_send(notification_id=note.pk)
    with scopes_disabled():
        note.refresh_from_db()
    assert note.emailed_at is None
    assert "mail server down" in note.email_error
    assert note.email_attempts == 1
    with scopes_disabled():
        assert notification_email_send(notification_id=note.pk) is True
    assert len(mail.outbox) == 1


def test_unread_notifications_show_on_the_dashboard(client, world):
    make(world, email=False)
    client.force_login(world.a.user(Role.COORDINATOR))
    page = client.get(f"/s/{world.a.scheme.slug}/").content.decode()
    assert "DBS renewal due" in page


def test_the_email_has_a_plain_text_part_and_an_html_part_with_a_full_link(world, settings):
    settings.SITE_URL = "https://sharedlives.example"
    note = make(world, link="/s/alpha/carers/1/")
    notification_email.apply(args=[note.pk])
    message = mail.outbox[0]
    assert "https://sharedlives.example/s/alpha/carers/1/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and 'href="https://sharedlives.example/s/alpha/carers/1/"' in html


@pytest.mark.parametrize(("choice", "emailed"), [("each", True), ("digest", False), ("none", False)])
def test_each_person_chooses_how_they_hear(world, choice, emailed, django_capture_on_commit_callbacks):
    user = world.a.user(Role.COORDINATOR)
    user.email_choice = choice
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        note = make(world)
    assert note.email_wanted is emailed and len(mail.outbox) == int(emailed)


def test_the_weekly_digest_sends_everything_new_once(world, client):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from schemes.tasks import weekly_digest

    user = world.a.user(Role.COORDINATOR)
    user.email_choice = "digest"
    user.save()
    make(world)
    with scopes_disabled():
        notification_create(scheme=world.b.scheme, recipient=user, subject="Something in the other scheme")
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        weekly_digest.apply()
        weekly_digest.apply()  # twice: the second finds nothing new
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [user.email] and "2 new" in digest.subject
    assert "DBS renewal due" in digest.body and "Something in the other scheme" in digest.body
    assert world.a.scheme.name in digest.body and world.b.scheme.name in digest.body

    client.force_login(user)
    client.post(f"/s/{world.a.scheme.slug}/notifications/email/", {"email_choice": "none"})
    user.refresh_from_db()
    assert user.email_choice == "none"


def test_the_outbox_shows_emails_that_have_not_gone_and_sends_one_again(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    page = client.get(f"/s/{world.a.scheme.slug}/outbox/").content.decode()
    assert "Old reminder" in page and "SMTP 421: try later" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/s/{world.a.scheme.slug}/outbox/{world.a.outbox_note.pk}/retry/")
    assert [m.subject for m in mail.outbox] == ["Old reminder"]
    assert "Old reminder" not in client.get(f"/s/{world.a.scheme.slug}/outbox/").content.decode()


@pytest.mark.django_db
def test_the_weekly_digest_is_scheduled_on_monday_at_half_past_seven_uk_time():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="schemes.tasks.weekly_digest")
    crontab = task.crontab
    assert (crontab.day_of_week, crontab.hour, crontab.minute, str(crontab.timezone)) == (
        "1",
        "7",
        "30",
        "Europe/London",
    )
