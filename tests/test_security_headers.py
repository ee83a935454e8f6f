"""Headers every page sends, and sessions that end when they should (SECURITY.md)."""

from django.urls import reverse

from schemes.permissions import Role


def test_every_page_sends_a_strict_content_security_policy(client, world):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_pages_with_personal_data_are_never_stored_by_browsers_or_proxies(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    for url in (reverse("dashboard", args=["alpha"]), world.a.person.get_absolute_url(), reverse("home")):
        response = client.get(url, follow=True)
        assert "no-store" in response["Cache-Control"], url
    assert client.get(reverse("login"))["X-Content-Type-Options"] == "nosniff"


def test_deactivating_someone_ends_their_sessions_at_once(client, world):
    user = world.a.user(Role.COORDINATOR)
    client.force_login(user)
    assert client.get(reverse("dashboard", args=["alpha"])).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("dashboard", args=["alpha"]))["Location"].startswith(reverse("login"))


def test_a_deactivated_person_cannot_sign_in_and_is_told_nothing_more(client, world):
    user = world.a.user(Role.COORDINATOR)
    user.is_active = False
    user.save()
    response = client.post(reverse("login"), {"username": user.email, "password": "correct-horse-battery"})
    assert "Please enter a correct email address and password" in response.content.decode()
