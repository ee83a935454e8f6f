"""My Shared Life: making a private survey link, saving answers as they are given, sending them once, new versions."""

import hashlib
import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from matching.models import Arrangement
from schemes.models import Person, Scheme, User

from . import selectors
from .models import CHOICES, SKIP, Answer, HelpMode, Kind, Question, Questionnaire, Survey
from .questionnaire import VERSION_1, welsh_fields

LINK_LIFETIME = timedelta(days=42)  # six weeks to answer; a new link can always be made


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_questionnaire() -> Questionnaire:
    """The newest version; the first is created here if the table is empty (it normally comes with migration 0002)."""
    latest = Questionnaire.objects.order_by("-version").first()
    if latest is not None:
        return latest
    with transaction.atomic():
        latest, created = Questionnaire.objects.get_or_create(version=1)
        if created:
            Question.objects.bulk_create(
                Question(
                    questionnaire=latest,
                    position=n,
                    area=area,
                    kind=kind,
                    title=title,
                    text=text,
                    picture=picture,
                    picture_alt=alt,
                    **welsh_fields(area),
                )  # fmt: skip
                for n, (area, kind, title, text, picture, alt) in enumerate(VERSION_1, start=1)
            )
    return latest


@transaction.atomic
def survey_create(
    *, scheme: Scheme, person: Person, by: User | None, due_on: date | None = None,
    arrangement: Arrangement | None = None, help_mode: str = "",
) -> tuple[Survey, str]:  # fmt: skip
    """A new survey for a person and its private link's secret, which is returned once and never stored.
    `help_mode` is set when it is known already (a carer opening it with the person from the portal)."""
    if person.scheme_id != scheme.pk:
        raise ValidationError(_("This person is not supported by this scheme."))
    if arrangement is None:
        arrangement = (
            Arrangement.objects.filter(person=person, ended_on__isnull=True).order_by("-starts_on", "-pk").first()
        )
    token = secrets.token_urlsafe(32)
    survey = Survey.objects.create(
        scheme=scheme, person=person, arrangement=arrangement, arrangement_type=arrangement.type if arrangement else "",
        questionnaire=current_questionnaire(), token_hash=hash_token(token), due_on=due_on or timezone.localdate(),
        expires_at=timezone.now() + LINK_LIFETIME, created_by=by, help_mode=help_mode,
    )  # fmt: skip
    return survey, token


def survey_for_link(token: str) -> Survey | None:
    """The survey a link opens, whatever its state (the view says kindly if it was used or has expired)."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        return Survey.objects.select_related("scheme", "questionnaire").filter(token_hash=hash_token(token)).first()


def _refuse_if_closed(survey: Survey) -> None:
    if survey.submitted_at is not None:
        raise ValidationError(_("These answers have already been sent."))
    if survey.is_expired:
        raise ValidationError(_("This link has run out."))


@transaction.atomic
def survey_start(*, survey: Survey, help_mode: str) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _refuse_if_closed(survey)
    if help_mode not in HelpMode.values:
        raise ValidationError({"help_mode": _("Choose who is answering.")})
    survey.help_mode = help_mode
    survey.save(update_fields=["help_mode"])
    return survey


@transaction.atomic
def answer_save(*, survey: Survey, question: Question, choice: str = "", text: str = "") -> Answer:
    """Keep one answer as it is given, so someone who stops can come back to where they were."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _refuse_if_closed(survey)
    if question.questionnaire_id != survey.questionnaire_id:
        raise ValidationError(_("This question is not part of this survey."))
    if question.kind == Kind.OPEN:
        choice, text = ("", text.strip()) if text.strip() else (SKIP, "")
        if len(text) > 2000:
            raise ValidationError({"text": _("Please keep it under 2,000 characters.")})
    elif choice not in {value for value, _label in CHOICES[question.kind]}:
        raise ValidationError({"choice": _("Choose one of the answers.")})
    answer, _created = Answer.objects.update_or_create(
        survey=survey, question=question, defaults={"choice": choice, "text": text}
    )
    return answer


@transaction.atomic
def survey_submit(*, survey: Survey) -> Survey:
    """Send the answers: once only. Questions not answered count as 'I don't want to answer'."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _refuse_if_closed(survey)
    if not survey.help_mode:
        raise ValidationError(_("Say who is answering first."))
    answered = set(survey.answers.values_list("question_id", flat=True))
    Answer.objects.bulk_create(
        Answer(survey=survey, question=q, choice=SKIP) for q in survey.questionnaire.questions.exclude(pk__in=answered)
    )
    survey.submitted_at = timezone.now()
    survey.save(update_fields=["submitted_at"])
    transaction.on_commit(selectors.forget_pooled)  # the pooled figures beside every scheme's now include it
    return survey


@transaction.atomic
def questionnaire_publish(*, questions: list[dict]) -> Questionnaire:
    """A new version: new rows, so answers to earlier versions keep the questions they were asked."""
    latest = Questionnaire.objects.select_for_update().order_by("-version").first()
    questionnaire = Questionnaire.objects.create(version=(latest.version if latest else 0) + 1)
    for n, fields in enumerate(questions, start=1):
        question = Question(questionnaire=questionnaire, position=n, **fields)
        question.full_clean()
        question.save()
    return questionnaire
