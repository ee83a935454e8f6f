"""For EVERY scheme URL: logged out -> login; another scheme -> 404 and nothing changes; missing permission -> 403."""

import pytest
from django.apps import apps
from django.urls import resolve, reverse
from django_scopes import scopes_disabled

from schemes.middleware import declared_permission
from schemes.models import AuditEvent
from schemes.permissions import PUBLIC, ROLE_PERMISSIONS, Role
from tests.url_matrix import OBJECT_KWARGS, scheme_urls

URLS = scheme_urls()
PROJECT_APPS = ("schemes", "carers", "matching", "outcomes", "sharedlives")


def url_for(scheme_url, side, *, objects_from=None) -> str:
    kwargs = {"scheme_slug": side.scheme.slug}
    if scheme_url.params:
        kwargs.update(OBJECT_KWARGS[scheme_url.name](objects_from or side))
    return reverse(scheme_url.name, kwargs=kwargs)


def permission_of(url: str) -> str:
    return declared_permission(resolve(url).func)


def allowed(url: str, method: str, status: int) -> set[int]:
    """A view without a handler for `method` may answer 405 for every id alike, which reveals nothing."""
    view_class = getattr(resolve(url).func, "view_class", None)
    return {status} if view_class is None or hasattr(view_class, method) else {status, 405}


def database_snapshot() -> dict:
    with scopes_disabled():
        return {
            model._meta.label: [
                {k: v for k, v in row.items() if k != "last_login"}  # signing in the test users changes it
                for row in model._base_manager.order_by("pk").values()
            ]
            for model in apps.get_models()
            # The audit trail is meant to grow: refused access is recorded (and checked below).
            if model._meta.app_label in PROJECT_APPS and model is not AuditEvent
        }


def test_every_scheme_url_is_in_the_matrix():
    assert URLS, "no scheme URLs found: the URL walk is broken"
    names = {u.name for u in URLS}
    missing = [u.name for u in URLS if u.params and u.name not in OBJECT_KWARGS]
    assert missing == [], f"add these URLs to tests/url_matrix.py OBJECT_KWARGS: {missing}"
    stale = sorted(set(OBJECT_KWARGS) - names)
    assert stale == [], f"these matrix entries name no URL any more: {stale}"


@pytest.mark.parametrize("scheme_url", URLS, ids=str)
def test_every_scheme_url_declares_a_permission(world, scheme_url):
    assert permission_of(url_for(scheme_url, world.a)) == scheme_url.permission


@pytest.mark.parametrize("scheme_url", URLS, ids=str)
def test_logged_out_goes_to_login(client, world, scheme_url):
    url = url_for(scheme_url, world.a)
    if permission_of(url) == PUBLIC:
        assert client.get(url).status_code == 200
        return
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("scheme_url", [u for u in URLS if u.permission != PUBLIC], ids=str)
def test_staff_of_another_scheme_get_404_and_change_nothing(client, world, scheme_url):
    url = url_for(scheme_url, world.a)
    client.force_login(world.b.user(Role.REGISTERED_MANAGER))  # every permission, but in scheme B
    before = database_snapshot()
    assert client.get(url).status_code == 404
    data = {"given_name": "X", "role": "registered_manager", "name": "Taken over"}
    assert client.post(url, data).status_code == 404
    assert database_snapshot() == before
    with scopes_disabled():
        refused = AuditEvent.objects.filter(
            scheme=world.a.scheme, action="refused", user=world.b.user("registered_manager")
        )
        assert refused.count() == 2  # the GET and the POST, on scheme A's trail


@pytest.mark.parametrize("scheme_url", [u for u in URLS if u.params], ids=str)
def test_another_schemes_object_under_my_scheme_is_404(client, world, scheme_url):
    """Scheme A's slug with scheme B's object id: the scoped query cannot find it."""
    url = url_for(scheme_url, world.a, objects_from=world.b)
    client.force_login(world.a.user(role_allowed(scheme_url.permission)))
    before = database_snapshot()
    assert client.get(url).status_code in allowed(url, "get", 404)
    assert client.post(url, {"given_name": "X", "role": "read_only"}).status_code in allowed(url, "post", 404)
    assert database_snapshot() == before


def role_allowed(permission: str) -> str:
    """A role that passes the permission check, so the object lookup itself is what is tested (managers have
    every staff permission; only carers have the portal's)."""
    if permission in ROLE_PERMISSIONS[Role.REGISTERED_MANAGER] or permission == PUBLIC:
        return Role.REGISTERED_MANAGER
    return next(role for role, granted in ROLE_PERMISSIONS.items() if permission in granted)


def refused_roles(permission: str) -> list[str]:
    return [] if permission == PUBLIC else [r for r, granted in ROLE_PERMISSIONS.items() if permission not in granted]


@pytest.mark.parametrize("scheme_url", [u for u in URLS if refused_roles(u.permission)], ids=str)
def test_roles_without_the_permission_get_403(client, world, scheme_url):
    url = url_for(scheme_url, world.a)
    refused = refused_roles(scheme_url.permission)
    before = database_snapshot()
    for role in refused:
        client.force_login(world.a.user(role))
        assert client.get(url).status_code == 403, role  # refused before any handler is chosen
        assert client.post(url, {}).status_code == 403, role
    assert database_snapshot() == before


@pytest.mark.parametrize("scheme_url", URLS, ids=str)
def test_roles_with_the_permission_see_the_page(client, world, scheme_url):
    url = url_for(scheme_url, world.a)
    for role, granted in ROLE_PERMISSIONS.items():
        if scheme_url.permission in granted:
            client.force_login(world.a.user(role))
            assert client.get(url).status_code in (200, 405), role


def test_a_removed_member_is_treated_as_an_outsider(client, world):
    membership = world.a.members[Role.COORDINATOR]
    membership.is_active = False
    membership.save()
    client.force_login(membership.user)
    assert client.get(reverse("dashboard", args=[world.a.scheme.slug])).status_code == 404


def test_an_unknown_scheme_is_404(client, world):
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    assert client.get("/s/no-such-scheme/").status_code == 404
