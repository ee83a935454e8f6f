"""Benchmark: the scheme overview PDF for a year, for one national scheme and for the busiest demo scheme. Run with
`make bench` (after bench.sweep has built the national data). Not a test: it prints figures. Target: under 2 s."""

import logging
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharedlives.settings.local")
os.environ.setdefault("DEBUG", "false")  # as deployed
os.environ.setdefault("SHAREDLIVES_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "bench"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from schemes.models import Scheme  # noqa: E402
from sharedlives.reports.periods import ReportPeriod  # noqa: E402
from sharedlives.reports.views import render_report  # noqa: E402

RUNS = 5


def main() -> int:
    with scopes_disabled():
        scheme = Scheme.objects.filter(slug__startswith="national-").order_by("pk").first()
    if scheme is None:
        print("reports: no national data yet (run `make bench`, which builds it in bench.sweep)")
        return 0
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    today = timezone.localdate()
    period = ReportPeriod("year", today.replace(year=today.year - 1, day=1))
    times = []
    with scope(scheme=scheme):
        render_report(name="overview", scheme=scheme, period=period, today=today)  # warm up (fonts, templates)
        for _ in range(RUNS):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                pdf = render_report(name="overview", scheme=scheme, period=period, today=today)
            times.append(time.perf_counter() - started)
    print(f"reports: scheme overview for {period.label}, {scheme.name} ({connection.vendor}): "
          f"median {statistics.median(times):.2f} s over {RUNS} runs, {len(queries)} queries, "
          f"{len(pdf) // 1024} KB; target: under 2 s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
