from django.urls import reverse
from django_scopes import scopes_disabled

from schemes.models import Notification
from schemes.permissions import Role


def make(world, side, role, subject):
    with scopes_disabled():
        return Notification.objects.create(scheme=side.scheme, recipient=side.user(role), subject=subject)


def test_a_worker_reads_and_clears_their_own_notifications_only(client, world):
    mine = make(world, world.a, Role.COORDINATOR, "DBS for Hughes runs out in 30 days")
    theirs = make(world, world.a, Role.REGISTERED_MANAGER, "Panel papers ready")
    client.force_login(world.a.user(Role.COORDINATOR))
    page = client.get(reverse("schemes:notifications", args=["alpha"])).content.decode()
    assert "DBS for Hughes" in page and "Panel papers ready" not in page
    client.post(reverse("schemes:notifications_read", args=["alpha"]), {"notification": [mine.pk, theirs.pk]})
    with scopes_disabled():
        mine.refresh_from_db()
        theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert "DBS for Hughes" not in client.get(reverse("dashboard", args=["alpha"])).content.decode()


def test_mark_all_as_read(client, world):
    for n in range(3):
        make(world, world.a, Role.COORDINATOR, f"Note {n}")
    client.force_login(world.a.user(Role.COORDINATOR))
    client.post(reverse("schemes:notifications_read", args=["alpha"]))
    with scopes_disabled():
        assert not Notification.objects.filter(read_at__isnull=True, recipient=world.a.user(Role.COORDINATOR)).exists()


def test_the_bell_in_the_menu_counts_unread_notifications_without_asking_the_database_each_time(
    client, world, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scope

    from schemes.services import notification_create, notifications_mark_read

    user = world.a.user(Role.COORDINATOR)
    client.force_login(user)
    people = reverse("schemes:person_list", args=["alpha"])
    assert "unread</span>" not in client.get(people).content.decode()
    with scope(scheme=world.a.scheme), django_capture_on_commit_callbacks(execute=True):
        notification_create(scheme=world.a.scheme, recipient=user, subject="Visit due for Aled", email=False)
    page = client.get(people).content.decode()
    assert '>1<span class="visually-hidden"> unread</span>' in page
    with CaptureQueriesContext(connection) as first:
        client.get(people)
    with CaptureQueriesContext(connection) as second:
        client.get(people)
    assert len(first) == len(second), "the count comes from the cache once known"
    assert not any("schemes_notification" in q["sql"] for q in second.captured_queries)
    with scope(scheme=world.a.scheme), django_capture_on_commit_callbacks(execute=True):
        notifications_mark_read(user=user)
    assert "unread</span>" not in client.get(people).content.decode()


def test_a_carers_bell_leads_to_the_messages_on_their_portal_home(client, world):
    client.force_login(world.a.user(Role.CARER))
    page = client.get(reverse("portal:home", args=["alpha"])).content.decode()
    assert reverse("portal:home", args=["alpha"]) + "#messages-heading" in page


def test_today_and_the_carers_home_read_unread_notifications_only_when_the_bell_has_some(
    client, world, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scope

    from schemes.services import notification_create

    for role, url in ((Role.COORDINATOR, "dashboard"), (Role.CARER, "portal:home")):
        user = world.a.user(role)
        client.force_login(user)
        page_url = reverse(url, args=["alpha"])
        client.get(page_url)  # the bell's count is known from here on
        with CaptureQueriesContext(connection) as nothing_new:
            client.get(page_url)
        assert not any("schemes_notification" in q["sql"] for q in nothing_new.captured_queries)
        with scope(scheme=world.a.scheme), django_capture_on_commit_callbacks(execute=True):
            notification_create(scheme=world.a.scheme, recipient=user, subject=f"Note for {role}", email=False)
        assert f"Note for {role}" in client.get(page_url).content.decode()
