"""My Shared Life demo answers: every six months from each arrangement's start, for up to three years back, with a
realistic spread (most say better, a few worse, some would rather not say) and the ways people answer. In bulk."""

import hashlib
import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from matching.models import Arrangement
from schemes.dates import add_months
from schemes.models import Scheme

from .models import SKIP, Answer, HelpMode, Kind, Survey
from .services import current_questionnaire

YEARS_BACK = 3
# (answer, weight) per kind of question: close to the national figures (about nine in ten say better).
SPREAD = {
    Kind.DIFFERENCE: [("better", 84), ("same", 11), ("worse", 2), (SKIP, 3)],
    Kind.HELPED: [("yes", 88), ("no", 9), (SKIP, 3)],
    Kind.FAMILY: [("all", 68), ("most", 26), ("some", 4), ("never", 1), (SKIP, 1)],
}
HELP = [(HelpMode.ON_MY_OWN, 30), (HelpMode.CARER, 30), (HelpMode.WORKER, 20), (HelpMode.FAMILY, 8),
        (HelpMode.ADVOCATE, 5), (HelpMode.ON_MY_BEHALF, 7)]  # fmt: skip
WISHES = ["A holiday by the sea", "More time at the allotment", "A paid job", "Seeing my brother more often",
          "Learning to cook curry", "Going to football matches", "A dog", ""]  # fmt: skip


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], weights=[w for _, w in weighted])[0]


def _due_dates(arrangement: Arrangement, *, interval: int, today: date) -> list[date]:
    earliest = add_months(today, -12 * YEARS_BACK)
    last = min(arrangement.ended_on or today, today)
    dates, months = [], interval
    while (due := add_months(arrangement.starts_on, months)) <= last:
        if due >= earliest:
            dates.append(due)
        months += interval
    return dates


def seed_surveys(rng: random.Random, schemes: list[Scheme], *, latest: int = 0) -> None:
    """Surveys and answers for every arrangement of these schemes that has none (idempotent per scheme).
    `latest`: only the last few surveys of open arrangements (the national scale: 2 each, about 175,000 answers)."""
    questionnaire = current_questionnaire()
    questions = list(questionnaire.questions.order_by("position"))
    done = set(Survey.objects.filter(scheme__in=schemes).values_list("scheme_id", flat=True).distinct())
    today = timezone.localdate()
    surveys: list[Survey] = []
    for scheme in (s for s in schemes if s.pk not in done):
        arrangements = Arrangement.objects.filter(scheme=scheme).order_by("pk")
        if latest:
            arrangements = arrangements.filter(ended_on__isnull=True)
        count = 0
        for arrangement in arrangements:
            dates = _due_dates(arrangement, interval=scheme.survey_interval_months, today=today)
            for due in dates[-latest:] if latest else dates:
                answered = rng.random() < 0.88  # some links are never used
                # every way of answering turns up in each scheme, then the usual mix
                help_mode = (HELP[count][0] if count < len(HELP) else _pick(rng, HELP)) if answered else ""
                count += answered
                sent = timezone.make_aware(datetime.combine(due + timedelta(days=rng.randint(2, 20)), time(11)))
                surveys.append(
                    Survey(
                        scheme=scheme,
                        person_id=arrangement.person_id,
                        arrangement=arrangement,
                        arrangement_type=arrangement.type,
                        questionnaire=questionnaire,
                        due_on=due,
                        token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
                        expires_at=timezone.make_aware(datetime.combine(due + timedelta(days=42), time(11))),
                        help_mode=help_mode,
                        submitted_at=min(sent, timezone.now()) if answered else None,
                    )  # fmt: skip
                )
    Survey.objects.bulk_create(surveys, batch_size=2000)
    answers = []
    for survey in surveys:
        if survey.submitted_at is None:
            continue
        for question in questions:
            if question.kind == Kind.OPEN:
                wish = rng.choice(WISHES)
                answers.append(Answer(survey=survey, question=question, choice="" if wish else SKIP, text=wish))
            else:
                answers.append(Answer(survey=survey, question=question, choice=_pick(rng, SPREAD[question.kind])))
    Answer.objects.bulk_create(answers, batch_size=5000)
