"""The menu at the top of every page: each role sees the pages it may open, in the page's language. All but its
first link is drawn once per process for each scheme, role and language (the "fragments" cache), so these ask for
pages one after another, as a running server would, and check that nobody is shown another's menu."""

import re

from django.urls import reverse

from schemes.models import User
from schemes.permissions import Role


def menu(client, user, url: str) -> list[str]:
    client.force_login(user)
    page = client.get(url).content.decode()
    nav = page.split('id="nav-links"', 1)[1].split('<ul class="navbar-nav">', 1)[0]
    return re.findall(r'class="nav-link"[^>]*>([^<]+)</a>', nav)


def test_each_role_sees_its_own_menu_whoever_asked_before(client, world):
    a = world.a
    dashboard = reverse("dashboard", args=[a.scheme.slug])
    coordinator = menu(client, a.user(Role.COORDINATOR), dashboard)
    finance = menu(client, a.user(Role.FINANCE_OFFICER), dashboard)
    manager = menu(client, a.user(Role.REGISTERED_MANAGER), dashboard)
    assert coordinator[0] == "Today" and "Money" not in coordinator and "Staff" not in coordinator
    assert "Money" in finance and "Incidents" not in finance
    assert {"Staff", "Audit", "Incidents"} <= set(manager)
    assert menu(client, a.user(Role.COORDINATOR), dashboard) == coordinator  # drawn from the cache: the same


def test_the_carer_menu_and_its_links_belong_to_the_carers_scheme(client, world):
    home = reverse("portal:home", args=[world.a.scheme.slug])
    carer_a = menu(client, world.a.user(Role.CARER), home)
    assert carer_a[:3] == ["My home page", "Calendar", "Timesheets"]
    client.force_login(world.b.user(Role.CARER))
    page = client.get(reverse("portal:home", args=[world.b.scheme.slug])).content.decode()
    assert f"/s/{world.b.scheme.slug}/portal/calendar/" in page
    assert f"/s/{world.a.scheme.slug}/" not in page


def test_the_menu_follows_the_language_and_the_page_it_is_on(client, world):
    a = world.a
    user = a.user(Role.COORDINATOR)
    people = reverse("schemes:person_list", args=[a.scheme.slug])
    english = menu(client, user, people)
    User.objects.filter(pk=user.pk).update(preferred_language="cy")
    welsh = menu(client, user, people)
    assert "People we support" in english and "People we support" not in welsh and len(welsh) == len(english)
    client.force_login(user)
    page = client.get(reverse("dashboard", args=[a.scheme.slug])).content.decode()
    assert 'aria-current="page"' in page.split('id="nav-links"', 1)[1].split("</ul>", 1)[0]
    page = client.get(people).content.decode()
    assert 'aria-current="page"' not in page.split('id="nav-links"', 1)[1].split("</ul>", 1)[0]


def test_a_page_the_role_may_not_open_still_names_the_scheme_and_shows_the_roles_menu(client, world):
    a = world.a
    client.force_login(a.user(Role.FINANCE_OFFICER))
    response = client.get(reverse("schemes:audit", args=[a.scheme.slug]))
    assert response.status_code == 403
    page = response.content.decode()
    assert f"<title>Not allowed · {a.scheme.name} · Shared Lives</title>" in page
    assert "Money" in menu(client, a.user(Role.FINANCE_OFFICER), reverse("schemes:audit", args=[a.scheme.slug]))
    # another scheme's page is still simply not found, naming nothing
    other = client.get(reverse("schemes:audit", args=[world.b.scheme.slug]))
    assert other.status_code == 404 and world.b.scheme.name not in other.content.decode()
