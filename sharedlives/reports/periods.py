"""A report's period: a month, a quarter or a year, from its first day."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from schemes.i18n import month, month_name

KINDS = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    first: date

    @property
    def last(self) -> date:
        month = self.first.month + KINDS[self.kind] - 1
        year = self.first.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return date(year, month, monthrange(year, month)[1])

    @property
    def label(self) -> str:
        if self.kind == "month":
            return month(self.first)
        if self.kind == "quarter":
            return _("%(first)s to %(last)s") % {"first": month_name(self.first), "last": month(self.last)}
        return _("%(first)s to %(last)s") % {"first": month(self.first), "last": month(self.last)}

    @classmethod
    def parse(cls, kind: str, start: str, *, today: date) -> "ReportPeriod":
        """From the form ("quarter", "2026-07"); anything unreadable gives last month."""
        try:
            first = date.fromisoformat(f"{start}-01")
        except ValueError:
            first = None
        if kind not in KINDS or first is None or not 2000 <= first.year <= 2100:
            return cls.last_month(today)
        return cls(kind, first)

    @classmethod
    def last_month(cls, today: date) -> "ReportPeriod":
        first_of_this = today.replace(day=1)
        last_month = date(first_of_this.year - (first_of_this.month == 1), (first_of_this.month - 2) % 12 + 1, 1)
        return cls("month", last_month)
