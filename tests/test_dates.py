"""Calendar arithmetic every app shares (schemes/dates.py): checks' expiry, reviews, adulthood, retention."""

from datetime import date

import pytest

from schemes.dates import add_months


@pytest.mark.parametrize(
    ("day", "months", "moved"),
    [("2027-01-31", 1, "2027-02-28"), ("2028-01-31", 1, "2028-02-29"), ("2028-02-29", -12, "2027-02-28"),
     ("2028-02-29", 48, "2032-02-29"), ("2026-12-05", 1, "2027-01-05"), ("2027-01-05", -1, "2026-12-05"),
     ("2026-03-31", -1, "2026-02-28"), ("2026-05-31", -216, "2008-05-31")],
)  # fmt: skip
def test_a_month_on_is_the_same_day_or_the_months_last(day, months, moved):
    assert add_months(date.fromisoformat(day), months) == date.fromisoformat(moved)
