"""Every scheme page, found from the URL configuration: a small, fixed number of queries that does not grow with data.

Each page is asked for once with the test world, then again after the scheme has gained more of everything (people,
households, checks, arrangements, bookings, visits, incidents, panel papers, payments, notifications). A page whose
count grows has a query in a loop (N+1); one over the ceiling does too much work per request.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.models import PaymentLine
from schemes.audit import audit_paused
from schemes.models import Notification
from schemes.permissions import Role
from tests.factories import (
    ArrangementFactory,
    BookingFactory,
    CheckWithEvidenceFactory,
    HouseholdFactory,
    IncidentActionFactory,
    IncidentFactory,
    MemberFactory,
    PanelItemFactory,
    PersonFactory,
    ReferralFactory,
    VisitFactory,
)
from tests.test_tenancy_matrix import URLS, role_allowed, url_for

CEILING = 20  # queries for any one page today (issue #11 aims at 15 for HTML pages)
PAGES = list(URLS)


def grow(side, times: int = 3) -> None:
    """More of everything in the side's scheme, including more rows under the very objects the detail pages show."""
    scheme = side.scheme
    coordinator = side.user(Role.COORDINATOR)
    today = timezone.localdate()
    with audit_paused():
        for n in range(times):
            person = PersonFactory(scheme=scheme)
            household = HouseholdFactory(scheme=scheme, worker=coordinator)
            MemberFactory(household=household)
            CheckWithEvidenceFactory(household=household)
            CheckWithEvidenceFactory(household=side.household, kind="gas_safety")
            ReferralFactory(scheme=scheme, person=person)
            arrangement = ArrangementFactory(scheme=scheme, person=person, household=household)
            BookingFactory(arrangement=arrangement, starts_on=today + timedelta(days=3 + n),
                           ends_on=today + timedelta(days=4 + n))  # fmt: skip
            VisitFactory(arrangement=side.arrangement, due_on=today + timedelta(days=20 + n))
            IncidentFactory(arrangement=arrangement)
            IncidentActionFactory(incident=side.incident, owner=coordinator)
            PanelItemFactory(panel=side.panel, household=HouseholdFactory(scheme=scheme))
            PaymentLine.objects.create(run=side.statement_run, household=side.household, arrangement=side.arrangement,
                                       funder="council", part="care_fee", description=f"Extra {n}",
                                       amount=Decimal("10.00"))  # fmt: skip
            for membership in side.members.values():
                Notification._base_manager.create(scheme=scheme, recipient=membership.user, subject=f"Note {n}")


def count_queries(client, side) -> dict[str, int]:
    counts = {}
    signed_in = None
    for page in PAGES:
        role = role_allowed(page.permission)
        if role != signed_in:
            client.force_login(side.user(role))
            signed_in = role
        url = url_for(page, side)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code == 200:
            counts[page.name] = len(queries)
    return counts


@pytest.mark.django_db
def test_no_page_asks_more_of_the_database_as_the_scheme_grows(client, world):
    # Everyone has one unread notification to begin with: a page lists unread ones only when the bell has some (no
    # query when it has none), so from one to many is the growth to watch.
    for membership in world.a.members.values():
        Notification._base_manager.create(scheme=world.a.scheme, recipient=membership.user, subject="First note")
    before = count_queries(client, world.a)
    assert len(before) >= 80, "most scheme pages answer a GET"
    grow(world.a)
    after = count_queries(client, world.a)
    grew = {name: (before[name], after[name]) for name in before if after.get(name, 0) > before[name]}
    assert grew == {}, f"pages whose queries grow with the data (before, after): {grew}"
    heavy = {name: count for name, count in after.items() if count > CEILING}
    assert heavy == {}, f"pages over {CEILING} queries: {heavy}"
