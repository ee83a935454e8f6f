"""My Shared Life results: per area, what share said better / no different / worse, by half-year, with small groups
hidden. Counting happens in the database (one grouped query); percentages in plain Python."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from matching.models import Arrangement, ArrangementType
from schemes.dates import add_months
from schemes.selectors import with_person_names

from .models import BAD, CHOICES, FACES, GOOD, SKIP, Answer, Area, Kind, Question, Survey

SMALLEST_GROUP = 5  # fewer answers than this are not shown, so nobody can be picked out


@dataclass(frozen=True)
class Period:
    year: int
    half: int  # 1: January to June, 2: July to December

    @property
    def key(self) -> str:
        return f"{self.year}-{self.half}"

    @property
    def label(self) -> str:
        return (_("Jan to Jun %(year)s") if self.half == 1 else _("Jul to Dec %(year)s")) % {"year": self.year}

    @classmethod
    def parse(cls, key: str) -> "Period | None":
        try:
            year, half = (int(part) for part in key.split("-"))
        except (AttributeError, ValueError):
            return None
        return cls(year, half) if half in (1, 2) and 2000 <= year <= 2100 else None

    @classmethod
    def of(cls, day: date) -> "Period":
        return cls(day.year, 1 if day.month <= 6 else 2)


@dataclass(frozen=True)
class Cell:
    """One area in one group: how many answered (not counting 'I don't want to answer') and the shares."""

    answered: int
    good: int
    same: int
    bad: int

    @property
    def shown(self) -> bool:
        return self.answered >= SMALLEST_GROUP

    def percent(self, count: int) -> int:
        return round(100 * count / self.answered) if self.answered else 0

    @property
    def good_percent(self) -> int:
        return self.percent(self.good)

    @property
    def same_percent(self) -> int:
        return self.percent(self.same)

    @property
    def bad_percent(self) -> int:
        # The three shares always add up to 100, whatever the rounding.
        return 100 - self.good_percent - self.same_percent if self.answered else 0


def cell(kind: str, counts: Counter) -> Cell:
    good = sum(counts[c] for c in GOOD[kind])
    bad = sum(counts[c] for c in BAD[kind])
    answered = sum(n for choice, n in counts.items() if choice != SKIP)
    return Cell(answered=answered, good=good, same=answered - good - bad, bad=bad)


AREA_KINDS = {Area.COMMUNITY_HELP: Kind.HELPED, Area.FAMILY: Kind.FAMILY, Area.BETTER: Kind.OPEN}
CHARTED_AREAS = [a for a in Area.values if AREA_KINDS.get(a, Kind.DIFFERENCE) != Kind.OPEN]


def _tally(answers) -> dict[tuple[str, Period], Counter]:
    """Answers grouped by area, half-year and choice, in one query."""
    rows = (
        answers.filter(survey__submitted_at__isnull=False)
        .exclude(question__kind=Kind.OPEN)
        .annotate(year=ExtractYear("survey__submitted_at"), month=ExtractMonth("survey__submitted_at"))
        .values_list("question__area", "year", "month", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally: dict[tuple[str, Period], Counter] = defaultdict(Counter)
    for area, year, month, choice, n in rows:
        tally[area, Period(year, 1 if month <= 6 else 2)][choice] += n
    return tally


def _cells(tally, *, period: Period | None) -> dict[str, Cell]:
    merged: dict[str, Counter] = defaultdict(Counter)
    for (area, p), counts in tally.items():
        if period is None or p == period:
            merged[area].update(counts)
    return {area: cell(AREA_KINDS.get(area, Kind.DIFFERENCE), merged[area]) for area in CHARTED_AREAS}


def scheme_results(*, arrangement_type: str = "", period_key: str = "") -> dict:
    """The current scheme's figures (run inside its scope), with the pooled figures of every scheme beside them."""
    answers = Answer.objects.all()
    surveys = Survey.objects.all()
    if arrangement_type:
        answers = answers.filter(survey__arrangement_type=arrangement_type)
        surveys = surveys.filter(arrangement_type=arrangement_type)
    tally = _tally(answers)
    periods = sorted({p for _area, p in tally}, key=lambda p: (p.year, p.half))
    period = Period.parse(period_key) if period_key else None
    pooled = _cells(pooled_tally(arrangement_type), period=period)
    cells = _cells(tally, period=period)
    trend = {area: [(p, _cells(tally, period=p)[area]) for p in periods] for area in CHARTED_AREAS}
    response = surveys.aggregate(sent=Count("pk"), answered=Count("pk", filter=Q(submitted_at__isnull=False)))
    who = dict(surveys.filter(submitted_at__isnull=False).values_list("help_mode").annotate(n=Count("pk")).order_by())
    rows = [
        {"area": area, "label": Area(area).label, "cell": cells[area], "pooled": pooled[area], "trend": trend[area]}
        for area in CHARTED_AREAS
    ]
    return {"rows": rows, "periods": periods, "period": period, "response": response, "who": who}


def network_results() -> dict[str, Cell]:
    """Every scheme's answers pooled: no scheme is named or can be told apart."""
    return _cells(pooled_tally(""), period=None)


POOLED_KEY = "outcomes:pooled:{}"


def pooled_tally(arrangement_type: str) -> dict:
    """Every scheme's answers tallied (by area, half-year and choice). It reads the whole sector's answers, so it is
    kept in the cache for an hour and forgotten whenever a survey is sent in (`forget_pooled`)."""

    def count():
        with scopes_disabled():
            answers = Answer.objects.all()
            if arrangement_type:
                answers = answers.filter(survey__arrangement_type=arrangement_type)
            return dict(_tally(answers))

    return cache.get_or_set(POOLED_KEY.format(arrangement_type or "all"), count, 3600)


def forget_pooled() -> None:
    cache.delete_many([POOLED_KEY.format(kind) for kind in ["all", *ArrangementType.values]])


def person_answers(*, person) -> tuple[list[Survey], list[dict]]:
    """A person's sent surveys, oldest first, and a row per area with their answer in each (two queries)."""
    surveys = list(
        Survey.objects.filter(person=person, submitted_at__isnull=False)
        .select_related("questionnaire")
        .order_by("submitted_at")
    )
    answers = Answer.objects.filter(survey__in=surveys).select_related("question")
    by_area: dict[str, dict[int, Answer]] = defaultdict(dict)
    for answer in answers:
        by_area[answer.question.area][answer.survey_id] = answer
    rows = []
    for area in Area.values:
        kind = AREA_KINDS.get(area, Kind.DIFFERENCE)
        words = dict(CHOICES[kind])
        cells = []
        for survey in surveys:
            answer = by_area[area].get(survey.pk)
            choice = answer.choice if answer else SKIP
            text = answer.text if answer else ""
            cells.append({"choice": choice, "face": FACES.get(choice, "skip"), "word": words.get(choice, ""),
                          "text": text})  # fmt: skip
        rows.append({"area": area, "label": Area(area).label, "kind": kind, "cells": cells})
    return surveys, rows


def with_last_survey(arrangements: QuerySet[Arrangement]) -> QuerySet[Arrangement]:
    """Each arrangement with the due date of its person's latest survey (`last_survey`), from the (person, due_on)
    index: one query for any number of people."""
    last_survey = (Survey.objects.filter(person_id=OuterRef("person_id")).order_by().values("person_id")
                   .annotate(last=Max("due_on")).values("last"))  # fmt: skip
    return arrangements.annotate(last_survey=Subquery(last_survey))


def surveys_due(*, scheme, today: date, within_days: int = 14) -> list[dict]:
    """People in an active arrangement whose six-monthly survey (counted from the arrangement's start) is due and
    who have not had a survey link since it fell due. One query, whatever the number of people."""
    arrangements = with_last_survey(Arrangement.objects.filter(ended_on__isnull=True, starts_on__lte=today))
    arrangements = with_person_names(arrangements.select_related("household")).order_by("person_id", "starts_on")
    return surveys_due_among(arrangements, interval=scheme.survey_interval_months, today=today, within_days=within_days)


def surveys_due_among(arrangements, *, interval: int, today: date, within_days: int = 14) -> list[dict]:
    """`surveys_due` for arrangements read already (`with_last_survey`, the person's name with them), earliest
    start first; those ended are left out."""
    due = []
    seen = set()
    horizon = date.fromordinal(today.toordinal() + within_days)
    for arrangement in arrangements:
        if arrangement.ended_on is not None or arrangement.person_id in seen:
            continue  # the longest-running arrangement sets the rhythm
        seen.add(arrangement.person_id)
        months, due_on = interval, add_months(arrangement.starts_on, interval)
        while add_months(arrangement.starts_on, months + interval) <= horizon:
            months += interval
            due_on = add_months(arrangement.starts_on, months)
        if due_on > horizon:
            continue
        last = arrangement.last_survey
        if last is None or last < due_on:
            due.append({"arrangement": arrangement, "person": arrangement.person, "due_on": due_on,
                        "overdue": due_on < today})  # fmt: skip
    return sorted(due, key=lambda row: (row["due_on"], row["person"].family_name))


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questionnaire.questions.order_by("position"))


CHART_LEFT, CHART_WIDTH, ROW_HEIGHT = 230, 360, 34
# Green, grey and red with a contrast of at least 4.5:1 on white; the words are always in the table as well.
CHART_COLOURS = {"good": "#1b7a3d", "same": "#6c757d", "bad": "#b02a37"}


def chart(rows: list[dict], *, key: str = "cell") -> dict:
    """Horizontal bars for an SVG drawn on the server: better / no different / worse side by side, per area.
    Groups under SMALLEST_GROUP get no bar, just the words 'fewer than 5 answers'."""
    bars = []
    for n, row in enumerate(rows):
        c: Cell = row[key]
        y = n * ROW_HEIGHT
        segments = []
        if c.shown:
            x = CHART_LEFT
            for part, percent in (("good", c.good_percent), ("same", c.same_percent), ("bad", c.bad_percent)):
                width = round(CHART_WIDTH * percent / 100)
                if width:
                    segments.append({"part": part, "x": x, "width": width, "percent": percent,
                                     "fill": CHART_COLOURS[part]})  # fmt: skip
                x += width
        bars.append({"label": row["label"], "y": y, "text_y": y + 21, "bar_y": y + 6, "segments": segments,
                     "shown": c.shown})  # fmt: skip
    return {"bars": bars, "height": len(rows) * ROW_HEIGHT + 30, "legend_y": len(rows) * ROW_HEIGHT + 18,
            "left": CHART_LEFT, "width": CHART_LEFT + CHART_WIDTH + 10, "colours": CHART_COLOURS}  # fmt: skip


def results_between(*, first: date, last: date) -> dict:
    """The report's outcomes: answers sent between two days, per area, with every scheme pooled beside them, and the
    response rate of surveys due in those days (three queries)."""
    window = {"survey__submitted_at__date__gte": first, "survey__submitted_at__date__lte": last}
    cells = _cells(_tally(Answer.objects.filter(**window)), period=None)
    with scopes_disabled():
        pooled = _cells(_tally(Answer.objects.filter(**window)), period=None)
    due = Survey.objects.filter(due_on__gte=first, due_on__lte=last).aggregate(
        sent=Count("pk"), answered=Count("pk", filter=Q(submitted_at__isnull=False))
    )
    rows = [{"area": a, "label": Area(a).label, "cell": cells[a], "pooled": pooled[a]} for a in CHARTED_AREAS]
    return {"rows": rows, "response": due}
