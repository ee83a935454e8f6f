"""Benchmark: every scheme page, as a member of staff (or the carer, for the portal) allowed to see it.

For one scheme of the database in DATABASE_URL (default: the demo scheme `riverside`; `--scheme SLUG`), each page
found in the URL configuration is asked for RUNS times through the whole Django stack (middleware, view, template);
the table gives the median time, the number of SQL queries and the size. Run it on a database built with
`seed_demo` (demo scale) and with `seed_demo --scale national` to see how pages grow with the sector's data:
`--json FILE` keeps the figures for comparing. Not a test: it prints figures. Target (issue #11): HTML pages under
50 ms and 15 queries (SQL queries; the BEGIN and COMMIT around each page are not counted).
"""

import argparse
import json
import logging
import os
import statistics
import sys
import time
from types import SimpleNamespace

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharedlives.settings.local")
os.environ.setdefault("SHAREDLIVES_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "bench"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

RUNS = 7
# BEGIN and COMMIT (ATOMIC_REQUESTS: every page is one transaction) are not queries: counted apart.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def sql_queries(captured: list[dict]) -> int:
    return sum(1 for q in captured if not q["sql"].upper().startswith(TRANSACTION_CONTROL))


def side_for(scheme):
    """The objects the matrix's URL kwargs need, taken from the scheme's own data (the busiest of each kind)."""
    from django.db.models import Count

    from carers.models import Check, Household, Member, Panel, PanelItem, RenewalUpload
    from matching.models import (
        Arrangement,
        Booking,
        Incident,
        IncidentAction,
        Match,
        PaymentRun,
        Referral,
        Timesheet,
        Visit,
    )
    from schemes.models import Membership, Notification, Person
    from sharedlives.models import ReportFile

    def first(queryset):
        return queryset.order_by("pk").first()

    members = {m.role: m for m in Membership.objects.filter(scheme=scheme, is_active=True).select_related("user")}
    arrangement = first(Arrangement.objects.filter(scheme=scheme, ended_on__isnull=True).annotate(n=Count("bookings"))
                        .order_by("-n"))  # fmt: skip
    household = arrangement.household if arrangement else first(Household.objects.filter(scheme=scheme))
    carer = first(Member.objects.filter(household__scheme=scheme, user__isnull=False))
    return SimpleNamespace(
        scheme=scheme, members=members, user=lambda role: members[role].user,
        person=arrangement.person if arrangement else first(Person.objects.filter(scheme=scheme)),
        household=household, panel=first(Panel.objects.filter(scheme=scheme)),
        panel_item=first(PanelItem.objects.filter(panel__scheme=scheme)),
        check=first(Check.objects.filter(household__scheme=scheme)),
        referral=first(Referral.objects.filter(scheme=scheme)), match=first(Match.objects.filter(scheme=scheme)),
        arrangement=arrangement, booking=first(Booking.objects.filter(scheme=scheme)),
        visit=first(Visit.objects.filter(scheme=scheme)), incident=first(Incident.objects.filter(scheme=scheme)),
        incident_action=first(IncidentAction.objects.filter(incident__scheme=scheme)),
        payment_run=first(PaymentRun.objects.filter(scheme=scheme)),
        statement_run=first(PaymentRun.objects.filter(scheme=scheme, status="approved")),
        carer_member=carer, upload=first(RenewalUpload.objects.filter(household__scheme=scheme)),
        timesheet=first(Timesheet.objects.filter(scheme=scheme)),
        outbox_note=first(Notification._base_manager.filter(scheme=scheme)),
        report_file=first(ReportFile._base_manager.filter(scheme=scheme)),
    )  # fmt: skip


# A filtered variant of each list page (what a person narrowing the list asks for).
FILTERED = {
    "schemes:person_list": "?q=an",
    "schemes:audit": "?action=viewed",
    "carers:household_list": "?stage=approved&compliance=expiring",
    "carers:compliance": "?page=2",
    "matching:board": "?all=1",
    "matching:arrangement_list": "?status=all&type=short_breaks",
    "matching:incident_list": "?all=1",
    "matching:timesheets": "?all=1",
    "outcomes:results": "?type=long_term&period=all",
}


def visits(side) -> list[tuple[str, str, str]]:
    """(page, role, url): every scheme page as every role allowed to see it, each list again with a filter, each
    PDF report, the survey as the person answering it, and the network pages as a network viewer."""
    from django.urls import reverse

    from outcomes.services import survey_create
    from schemes.models import User
    from schemes.permissions import PUBLIC, ROLE_PERMISSIONS
    from sharedlives.reports.views import REPORTS
    from tests.test_tenancy_matrix import URLS, url_for

    found = []
    for page in URLS:
        try:
            with scopes_disabled():
                url = url_for(page, side)
        except (AttributeError, TypeError):
            continue  # no such object in this scheme
        for role, granted in ROLE_PERMISSIONS.items():
            if role in side.members and (page.permission in granted or page.permission == PUBLIC):
                found.append((page.name, role, url))
                if page.name in FILTERED:
                    found.append((f"{page.name} (filtered)", role, url + FILTERED[page.name]))
    slug = side.scheme.slug
    for name in REPORTS:
        found.append((f"reports:pdf {name}", "registered_manager",
                      reverse("reports:pdf", args=[slug]) + f"?report={name}&period=month"))  # fmt: skip
    from django_scopes import scope

    with scope(scheme=side.scheme):
        _survey, token = survey_create(scheme=side.scheme, person=side.person, by=None, help_mode="own")
    found += [("survey_start", "the person", reverse("survey_start", args=[token])),
              ("survey_step", "the person", reverse("survey_step", args=[token, 1]))]  # fmt: skip
    viewer = User.objects.filter(is_network_viewer=True).first()
    if viewer is not None:
        side.members["network"] = SimpleNamespace(user=viewer)
        found += [(name, "network", reverse(name)) for name in ("network", "network_outcomes")]
    return found


def measure(slug: str) -> list[dict]:
    from schemes.models import Scheme

    with scopes_disabled():
        scheme = Scheme.objects.get(slug=slug)
        side = side_for(scheme)
    client = Client()
    rows = []
    signed_in = None
    for name, role, url in visits(side):
        if role != signed_in:
            client.logout()
            if role in side.members:
                client.force_login(side.members[role].user)
            signed_in = role
        first = client.get(url)  # warm up: templates compiled, caches filled
        if first.status_code != 200:
            rows.append({"page": name, "role": role, "skipped": f"answered {first.status_code}"})
            continue
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        rows.append({
            "page": name, "role": role, "ms": round(statistics.median(times), 1),
            "queries": sql_queries(queries.captured_queries),
            "kb": round(len(response.content) / 1024, 1), "type": response["Content-Type"].split(";")[0],
        })  # fmt: skip
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scheme", default="riverside")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--compare", help="a --json file from the other scale: print the ratio of times")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    rows = measure(args.scheme)
    other = {}
    if args.compare:
        with open(args.compare) as handle:
            other = {(row["page"], row["role"]): row for row in json.load(handle) if "ms" in row}
    print(f"pages of {args.scheme} on {connection.vendor}, median of {RUNS} requests each:")
    print("| page | as | ms | queries | KB |" + (" ms before | ratio |" if other else ""))
    print("|---|---|---|---|---|" + ("---|---|" if other else ""))
    for row in rows:
        if "ms" not in row:
            continue
        line = f"| {row['page']} | {row['role']} | {row['ms']} | {row['queries']} | {row['kb']} |"
        if other.get((row["page"], row["role"])):
            before = other[(row["page"], row["role"])]["ms"]
            line += f" {before} | {row['ms'] / before:.2f} |"
        print(line)
    html = [row for row in rows if row.get("type") == "text/html"]
    if html:
        slow = [row["page"] for row in html if row["ms"] > 50]
        heavy = [row["page"] for row in html if row["queries"] >= 15]
        print(f"{len(html)} HTML pages: median {statistics.median(r['ms'] for r in html):.1f} ms, "
              f"slowest {max(r['ms'] for r in html)} ms; over 50 ms: {slow or 'none'}; 15 queries or more: "
              f"{heavy or 'none'}")  # fmt: skip
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rows, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
