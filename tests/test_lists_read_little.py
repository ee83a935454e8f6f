"""A list reads of each row only what it shows. A person's record holds their health and risks in long free text, and
a user row holds a password hash: lists that name people and staff must not carry those out of the database (less
personal data in memory and in transit, and far less work at national scale: docs/performance.md)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schemes.permissions import Role

pytestmark = pytest.mark.django_db

LISTS = [
    ("dashboard", Role.COORDINATOR, ""),
    ("schemes:person_list", Role.COORDINATOR, ""),
    ("schemes:staff_list", Role.REGISTERED_MANAGER, ""),
    ("schemes:audit", Role.REGISTERED_MANAGER, ""),
    ("carers:household_list", Role.COORDINATOR, ""),
    ("matching:board", Role.COORDINATOR, ""),
    ("matching:arrangement_list", Role.COORDINATOR, ""),
    ("matching:visits_due", Role.COORDINATOR, ""),
    ("matching:incident_list", Role.COORDINATOR, "?all=1"),
    ("matching:timesheets", Role.COORDINATOR, "?all=1"),
    ("matching:payment_runs", Role.FINANCE_OFFICER, ""),
    ("portal:home", Role.CARER, ""),
    ("portal:timesheets", Role.CARER, ""),
]


def select_list(sql: str) -> str:
    """What a query selects: its text up to its own FROM (not a FROM inside a subquery's brackets)."""
    depth = 0
    for at, char in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql.startswith(" FROM ", at):
            return sql[:at]
    return sql


def columns_read(queries) -> list[tuple[str, str]]:
    """Every (table, column) a page's queries select."""
    selected = " ".join(select_list(q["sql"]) for q in queries.captured_queries)
    return re.findall(r'"([a-z_]+)"\."([a-z_]+)"', selected)


@pytest.mark.parametrize(("name", "role", "query"), LISTS, ids=[name for name, _role, _query in LISTS])
def test_a_list_reads_no_ones_health_or_risks_and_no_one_elses_password(client, world, name, role, query):
    client.force_login(world.a.user(role))
    url = reverse(name, args=["alpha"]) + query
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    read = columns_read(queries)
    assert not {("schemes_person", "health"), ("schemes_person", "risks")} & set(read)
    # the signed-in user's own row is read once, by the sign-in check (schemes/rows.py: `u."password"`); nobody
    # else's password hash
    selected = " ".join(select_list(q["sql"]) for q in queries.captured_queries)
    assert selected.count('"password"') == 1


def test_the_check_can_see_a_list_that_reads_too_much(client, world):
    """The person page reads the whole record (it shows it): the same check finds health and risks there."""
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("schemes:person_detail", args=["alpha", world.a.person.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert {("schemes_person", "health"), ("schemes_person", "risks")} <= set(columns_read(queries))
