"""Calendar arithmetic that every app shares."""

from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months (back, when negative): the same day of the month, or the month's last day where
    it has no such day. 31 January + 1 month is the last of February; 29 February - 12 months is 28 February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")
