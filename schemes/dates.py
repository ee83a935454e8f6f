"""Calendar arithmetic that every app shares."""

from calendar import monthrange
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months (back, when negative): the same day of the month, or the month's last day where
    it has no such day. 31 January + 1 month is the last of February; 29 February - 12 months is 28 February."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month_index + 1, min(day.day, monthrange(year, month_index + 1)[1]))
