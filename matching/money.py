"""What a month of arrangements and bookings is worth, to the penny. Pure functions over plain rows: no queries.

The rules, as schemes pay them:
- Live-in (long-term, step-down, emergency, interim): the fee band's weekly rate, pro rata by the day (a day is a
  seventh of a week) for the days of the month the arrangement ran. Rent (housing benefit) and the person's
  contribution (food and bills) are worked out the same way and kept apart from the care fee.
- Short breaks: each night at the night rate (an introductory stay at the introductory rate); a night belongs to the
  month it starts in. Full 24-hour days add the supplement, counted in the month the stay starts.
- Day support: a session at the rate for its length; when one household supports more than one person in sessions
  of the same day, each extra person is paid at half the rate (+50% each). An introductory session is paid at the
  introductory rate on its own.
Amounts are Decimal and rounded half up to the penny once per line, never float.
"""

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

PENNY = Decimal("0.01")
EXTRA_PERSON_SHARE = Decimal("0.5")


def to_penny(amount: Decimal | int) -> Decimal:
    return Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


def days_in_month(*, starts_on: date, ends_on: date | None, month: date) -> int:
    """How many days of `month` fall between starts_on and ends_on (inclusive; None: still going)."""
    first, last = month_bounds(month)
    start, end = max(starts_on, first), min(ends_on or last, last)
    return max((end - start).days + 1, 0)


def pro_rata(weekly: Decimal, days: int) -> Decimal:
    return to_penny(Decimal(weekly) * days / 7)


@dataclass(frozen=True)
class Rates:
    night: Decimal
    full_day: Decimal
    sessions: dict[int, Decimal]
    introductory: Decimal
    mileage: Decimal = Decimal("0.45")


@dataclass(frozen=True)
class LiveIn:
    arrangement_id: int
    household_id: int
    funder: str
    starts_on: date
    ended_on: date | None
    weekly_fee: Decimal
    weekly_rent: Decimal
    weekly_contribution: Decimal
    band: str


@dataclass(frozen=True)
class BookedDay:
    """A confirmed short break (nights from starts_on to ends_on) or a session (session_hours set)."""

    booking_id: int
    arrangement_id: int
    household_id: int
    funder: str
    starts_on: date
    ends_on: date
    session_hours: int | None
    full_days: int
    introductory: bool


@dataclass(frozen=True)
class MileageClaim:
    """Miles on an approved timesheet, paid in the month its stay or session started."""

    arrangement_id: int
    household_id: int
    funder: str
    day: date
    miles: Decimal


@dataclass(frozen=True)
class Line:
    household_id: int
    arrangement_id: int
    funder: str
    part: str
    description: str
    amount: Decimal


def month_lines(
    *, month: date, live_in: list[LiveIn], booked: list[BookedDay], rates: Rates, mileage: list[MileageClaim] = ()
) -> list[Line]:
    first, last = month_bounds(month)
    lines: list[Line] = []
    for a in live_in:
        days = days_in_month(starts_on=a.starts_on, ends_on=a.ended_on, month=first)
        if not days:
            continue
        for part, weekly, words in (
            ("care_fee", a.weekly_fee, _("Care fee, %(band)s: %(days)s days at £%(weekly)s a week")),
            ("rent", a.weekly_rent, _("Rent: %(days)s days at £%(weekly)s a week")),
            ("contribution", a.weekly_contribution, _("Contribution: %(days)s days at £%(weekly)s a week")),
        ):
            if weekly:
                description = words % {"band": a.band, "days": days, "weekly": weekly}
                lines.append(
                    Line(a.household_id, a.arrangement_id, a.funder, part, description, pro_rata(weekly, days))
                )
    lines.extend(_short_break_lines(first, last, [b for b in booked if not b.session_hours], rates))
    lines.extend(_session_lines(first, last, [b for b in booked if b.session_hours], rates))
    lines.extend(_mileage_lines(first, last, mileage, rates))
    return lines


def _mileage_lines(first: date, last: date, claims: list[MileageClaim], rates: Rates) -> list[Line]:
    miles: dict[tuple, Decimal] = defaultdict(Decimal)
    for claim in claims:
        if first <= claim.day <= last and claim.miles:
            miles[(claim.arrangement_id, claim.household_id, claim.funder)] += Decimal(claim.miles)
    return [
        Line(
            household,
            arrangement,
            funder,
            "mileage",
            _("Mileage: %(miles)s miles at £%(rate)s") % {"miles": total, "rate": rates.mileage},
            to_penny(total * rates.mileage),
        )  # fmt: skip
        for (arrangement, household, funder), total in sorted(miles.items())
    ]


def _short_break_lines(first: date, last: date, stays: list[BookedDay], rates: Rates) -> list[Line]:
    totals: dict[tuple, list] = defaultdict(lambda: [0, 0])  # (arrangement, household, funder, intro) -> nights, days
    for stay in stays:
        nights = sum(
            1 for n in range((stay.ends_on - stay.starts_on).days) if first <= stay.starts_on + timedelta(n) <= last
        )
        key = (stay.arrangement_id, stay.household_id, stay.funder, stay.introductory)
        totals[key][0] += nights
        if first <= stay.starts_on <= last:
            totals[key][1] += stay.full_days
    lines = []
    for (arrangement, household, funder, introductory), (nights, full_days) in sorted(totals.items()):
        if not nights and not full_days:
            continue
        rate = rates.introductory if introductory else rates.night
        amount = to_penny(rate * nights + rates.full_day * full_days)
        words = (
            _("Introductory stay: %(nights)s nights at £%(rate)s")
            if introductory
            else _("Short breaks: %(nights)s nights at £%(rate)s")
        )
        description = words % {"nights": nights, "rate": rate}
        if full_days:
            description += _(", %(days)s full 24-hour days at £%(supplement)s") % {
                "days": full_days, "supplement": rates.full_day}  # fmt: skip
        lines.append(Line(household, arrangement, funder, "care_fee", description, amount))
    return lines


def _session_lines(first: date, last: date, sessions: list[BookedDay], rates: Rates) -> list[Line]:
    in_month = [s for s in sessions if first <= s.starts_on <= last]
    same_day: dict[tuple, list[BookedDay]] = defaultdict(list)
    for s in in_month:
        if not s.introductory:
            same_day[(s.household_id, s.starts_on)].append(s)
    share: dict[int, Decimal] = {}
    for together in same_day.values():
        for position, s in enumerate(sorted(together, key=lambda s: s.booking_id)):
            share[s.booking_id] = Decimal(1) if position == 0 else EXTRA_PERSON_SHARE
    totals: dict[tuple, list] = defaultdict(lambda: [0, 0, Decimal(0)])  # -> sessions, shared, amount
    for s in in_month:
        key = (s.arrangement_id, s.household_id, s.funder, s.session_hours, s.introductory)
        rate = rates.introductory if s.introductory else rates.sessions[s.session_hours] * share[s.booking_id]
        totals[key][0] += 1
        totals[key][1] += 0 if s.introductory or share[s.booking_id] == 1 else 1
        totals[key][2] += rate
    lines = []
    for (arrangement, household, funder, hours, introductory), (count, shared, amount) in sorted(totals.items()):
        if introductory:
            description = _("Introductory sessions: %(count)s at £%(rate)s") % {
                "count": count,
                "rate": rates.introductory,
            }
        else:
            description = _("Day support: %(count)s %(hours)s-hour sessions at £%(rate)s") % {
                "count": count, "hours": hours, "rate": rates.sessions[hours]}  # fmt: skip
            if shared:
                description += _(" (%(shared)s with another person the same day, at half the rate)") % {
                    "shared": shared
                }
        lines.append(Line(household, arrangement, funder, "care_fee", description, to_penny(amount)))
    return lines
