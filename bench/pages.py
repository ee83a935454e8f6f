"""Benchmark: every scheme page, as a member of staff (or the carer, for the portal) allowed to see it.

For one scheme of the database in DATABASE_URL (default: the demo scheme `riverside`; `--scheme SLUG`), each page
found in the URL configuration is asked for RUNS times through the whole Django stack (middleware, view, template);
the table gives the median time, the number of SQL queries and the size. Run it on a database built with
`seed_demo --scale national`, with `--demo-database URL` naming one built with plain `seed_demo`, to see how pages
grow with the sector's data: the demo-scale pages are asked in a second process, each request there followed by the
same request here, so that the machine's other work (this 2-core machine's medians move by 20-50 % from minute to
minute) falls on both alike and the ratio shows the data. `--json FILE` keeps the rows. Not a test: it prints
figures. Targets (issue #11): HTML pages under 50 ms and 15 queries (SQL queries; the BEGIN and COMMIT around each
page are not counted), national/demo under 1.5.
"""

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from types import SimpleNamespace

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharedlives.settings.local")
os.environ.setdefault("DEBUG", "false")  # as deployed
os.environ.setdefault("SHAREDLIVES_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "bench"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

RUNS = 11  # a median of 7 still let a moment of the machine's other work lift a small page's ratio over 1.5
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


class Visitor:
    """Asks for one scheme's pages through the whole Django stack, signed in as the role each visit needs."""

    def __init__(self, slug: str):
        from schemes.models import Scheme

        with scopes_disabled():
            self.side = side_for(Scheme.objects.get(slug=slug))
            self.visits = visits(self.side)
        self.client = Client()
        self.signed_in = None
        self.warm: set[int] = set()

    def keys(self) -> list[tuple[str, str]]:
        return [(name, role) for name, role, _url in self.visits]

    def once(self, index: int) -> dict:
        """One timed request for visit `index` (the first time, after one to warm up: templates compiled, caches
        filled): server time, SQL queries apart from BEGIN/COMMIT, size."""
        _name, role, url = self.visits[index]
        if role != self.signed_in:
            self.client.logout()
            if role in self.side.members:
                self.client.force_login(self.side.members[role].user)
            self.signed_in = role
        if index not in self.warm:
            self.client.get(url)
            self.warm.add(index)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        ms = (time.perf_counter() - started) * 1000
        return {"status": response.status_code, "ms": ms, "queries": sql_queries(queries.captured_queries),
                "kb": round(len(response.content) / 1024, 1),
                "type": response["Content-Type"].split(";")[0]}  # fmt: skip


def serve(slug: str) -> None:
    """The other scale's side of `--demo-database`: say which visits there are, then answer one request at a time."""
    visitor = Visitor(slug)
    print(json.dumps(visitor.keys()), flush=True)
    for line in sys.stdin:
        print(json.dumps(visitor.once(int(line))), flush=True)


class Demo:
    """The same scheme's pages on the demo-scale database, in a process of its own, asked in turn with ours so that
    whatever else the machine is doing falls on both scales alike."""

    def __init__(self, slug: str, database_url: str):
        env = {**os.environ, "DATABASE_URL": database_url}
        self.process = subprocess.Popen(  # noqa: S603 - this same script
            [sys.executable, "-m", "bench.pages", "--scheme", slug, "--serve"],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.index = {tuple(key): i for i, key in enumerate(json.loads(self.process.stdout.readline()))}

    def once(self, key: tuple[str, str]) -> dict:
        self.process.stdin.write(f"{self.index[key]}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def summary(samples: list[dict]) -> dict:
    last = samples[-1]
    return {"ms": round(statistics.median(s["ms"] for s in samples), 1), "queries": last["queries"],
            "kb": last["kb"], "type": last["type"]}  # fmt: skip


def measure(slug: str, demo: Demo | None = None) -> list[dict]:
    """Each visit RUNS times; with `demo`, each request on the demo scale is followed by the same on ours."""
    visitor = Visitor(slug)
    rows = []
    for index, key in enumerate(visitor.keys()):
        name, role = key
        ours, theirs = [], []
        for _ in range(RUNS):
            if demo is not None and key in demo.index:
                theirs.append(demo.once(key))
            ours.append(visitor.once(index))
        if ours[-1]["status"] != 200:
            rows.append({"page": name, "role": role, "skipped": f"answered {ours[-1]['status']}"})
            continue
        row = {"page": name, "role": role, **summary(ours)}
        if theirs and theirs[-1]["status"] == 200:
            row["demo"] = summary(theirs)
        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scheme", default="riverside")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument(
        "--demo-database",
        help="DATABASE_URL of a demo-scale database: its pages are asked in turn with these, for the ratio",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    if args.serve:
        serve(args.scheme)
        return 0
    demo = Demo(args.scheme, args.demo_database) if args.demo_database else None
    try:
        rows = measure(args.scheme, demo)
    finally:
        if demo is not None:
            demo.close()
    print(f"pages of {args.scheme} on {connection.vendor}, median of {RUNS} requests each"
          + (", each after the same request on the demo database:" if demo else ":"))  # fmt: skip
    print("| page | as | ms | queries | KB |" + (" demo ms | demo queries | ratio |" if demo else ""))
    print("|---|---|---|---|---|" + ("---|---|---|" if demo else ""))
    for row in rows:
        if "ms" not in row:
            continue
        line = f"| {row['page']} | {row['role']} | {row['ms']} | {row['queries']} | {row['kb']} |"
        if "demo" in row:
            line += f" {row['demo']['ms']} | {row['demo']['queries']} | {row['ms'] / row['demo']['ms']:.2f} |"
        print(line)
    html = [row for row in rows if row.get("type") == "text/html"]
    if html:
        slow = [row["page"] for row in html if row["ms"] > 50]
        heavy = [row["page"] for row in html if row["queries"] >= 15]
        print(f"{len(html)} HTML pages: median {statistics.median(r['ms'] for r in html):.1f} ms, "
              f"slowest {max(r['ms'] for r in html)} ms; over 50 ms: {slow or 'none'}; 15 queries or more: "
              f"{heavy or 'none'}")  # fmt: skip
    compared = [row for row in rows if "demo" in row]
    if compared:
        ratios = sorted((row["ms"] / row["demo"]["ms"], row["page"], row["role"]) for row in compared)
        grown = [row["page"] for row in compared if row["queries"] > row["demo"]["queries"]]
        print(f"national/demo: median ratio {statistics.median(r for r, *_ in ratios):.2f}, highest "
              f"{ratios[-1][0]:.2f} ({ratios[-1][1]} as {ratios[-1][2]}); over 1.5: "
              f"{[f'{p} as {r} ({x:.2f})' for x, p, r in ratios if x > 1.5] or 'none'}; more queries than at demo "
              f"scale: {grown or 'none'}")  # fmt: skip
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rows, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
