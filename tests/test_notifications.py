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
        assert Notification.objects.count() == 0


def test_running_the_job_twice_sends_one_email(world):
    note = make(world)
    assert notification_email.apply(args=[note.pk]).get() is True
    assert notification_email.apply(args=[note.pk]).get() is False
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_released_for_the_retry(world):
    note = make(world)
    with (
        scopes_disabled(),
        mock.patch("schemes.services.send_mail", side_effect=OSError("mail server down")),
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
