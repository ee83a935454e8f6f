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
