"""My Shared Life pages: the easy-read survey behind a private link (no sign-in), and results for staff."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from django_scopes import scope

from matching.models import ArrangementType
from schemes.audit import audit_record
from schemes.models import AuditEvent, Person
from schemes.views import SchemeView

from . import selectors, services
from .models import CHOICES, FACES, Area, HelpMode, Kind

# ---- the survey, behind a private link --------------------------------------------------------------------------


class SurveyStepView(View):
    """Every page of the survey: find the survey from the link, say kindly if it was used or ran out, and work
    inside its scheme's scope. Steps: 0 = who is answering, 1..N = questions, N+1 = check and send."""

    def dispatch(self, request, token, step=None):
        survey = services.survey_for_link(token)
        if survey is None:
            return render(request, "outcomes/survey_closed.html", {"reason": "unknown"}, status=404)
        if survey.submitted_at is not None:
            return render(request, "outcomes/survey_closed.html", {"reason": "sent", "survey": survey})
        if survey.is_expired:
            return render(request, "outcomes/survey_closed.html", {"reason": "expired", "survey": survey}, status=410)
        self.survey, self.token = survey, token
        with scope(scheme=survey.scheme):
            self.questions = selectors.questions_of(survey)
            self.answers = {a.question_id: a for a in survey.answers.all()}
            return super().dispatch(request, step=step)

    def url(self, step: int | str) -> str:
        if step == 0:
            return reverse("survey_start", args=[self.token])
        return reverse("survey_step", args=[self.token, step])

    def render_step(self, template, **context):
        total = len(self.questions)
        context = {"survey": self.survey, "total": total, "token": self.token, "scheme": self.survey.scheme, **context}
        return render(self.request, template, context)

    def get(self, request, step=None):
        if step is None:
            return self.render_step("outcomes/survey_start.html", help_modes=HelpMode.choices,
                                    chosen=self.survey.help_mode)  # fmt: skip
        if not self.survey.help_mode:
            return redirect(self.url(0))
        if step == "check":
            return self.render_step("outcomes/survey_check.html", rows=self.summary())
        return self.question_page(step)

    def post(self, request, step=None):
        try:
            if step is None:
                services.survey_start(survey=self.survey, help_mode=request.POST.get("help_mode", ""))
                return redirect(self.url(1))
            if step == "check":
                services.survey_submit(survey=self.survey)
                return render(request, "outcomes/survey_closed.html", {"reason": "thanks", "survey": self.survey})
            question = self.question(step)
            services.answer_save(survey=self.survey, question=question, choice=request.POST.get("choice", ""),
                                 text=request.POST.get("text", ""))  # fmt: skip
        except ValidationError as error:
            message = " ".join(m for messages in error.message_dict.values() for m in messages) if hasattr(
                error, "error_dict") else " ".join(error.messages)  # fmt: skip
            if step is None:
                return self.render_step("outcomes/survey_start.html", help_modes=HelpMode.choices, error=message,
                                        chosen="")  # fmt: skip
            if step == "check":
                return self.render_step("outcomes/survey_check.html", rows=self.summary(), error=message)
            return self.question_page(step, error=message)
        return redirect(self.next_url(int(step)))

    def question_page(self, step, *, error: str = ""):
        question = self.question(step)
        number = int(step)
        return self.render_step(
            "outcomes/survey_question.html", question=question, number=number, answer=self.answers.get(question.pk),
            choices=[{"value": v, "label": label, "face": FACES[v]} for v, label in CHOICES[question.kind]],
            is_open=question.kind == Kind.OPEN, back=self.url(number - 1 if number > 1 else 0),
            next_url=self.next_url(number), error=error,
        )  # fmt: skip

    def question(self, step):
        try:
            return self.questions[int(step) - 1]
        except (ValueError, IndexError):
            raise Http404("No such question") from None

    def next_url(self, number: int) -> str:
        return self.url(number + 1) if number < len(self.questions) else self.url("check")

    def summary(self) -> list[dict]:
        rows = []
        for n, question in enumerate(self.questions, start=1):
            answer = self.answers.get(question.pk)
            words = dict(CHOICES[question.kind])
            if answer is None:
                said = _("Not answered yet")
            elif question.kind == Kind.OPEN:
                said = answer.text or words.get(answer.choice, _("I don't want to answer"))
            else:
                said = words.get(answer.choice, "")
            rows.append({"number": n, "question": question, "said": said, "change": self.url(n)})
        return rows


# ---- staff pages ---------------------------------------------------------------------------------------------


class ResultsView(SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "outcomes/results.html"

    def get_context_data(self, **kwargs):
        kind = self.request.GET.get("type", "")
        kind = kind if kind in ArrangementType.values else ""
        period_key = self.request.GET.get("period", "")
        results = selectors.scheme_results(arrangement_type=kind, period_key=period_key)
        return {
            **super().get_context_data(**kwargs),
            **results,
            "chart": selectors.chart(results["rows"]),
            "types": ArrangementType.choices,
            "type": kind,
            "period_key": period_key,
            "smallest": selectors.SMALLEST_GROUP,
            "help_modes": [(label, results["who"].get(value, 0)) for value, label in HelpMode.choices],
        }


class SurveysDueView(SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "outcomes/surveys_due.html"

    def get_context_data(self, **kwargs):
        due = selectors.surveys_due(scheme=self.request.current_scheme, today=timezone.localdate())
        return {**super().get_context_data(**kwargs), "due": due[:200], "more": max(len(due) - 200, 0)}


class SurveyLinkForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)


class SurveyCreateView(SchemeView, View):
    """Make a private link for one person; it is shown once, here, and only its hash is kept."""

    scheme_permission = "manage_people"

    def post(self, request, *args, **kwargs):
        form = SurveyLinkForm(request.POST)
        if not form.is_valid():
            raise Http404("No such person")
        person = get_object_or_404(Person, pk=form.cleaned_data["person"])
        survey, token = services.survey_create(scheme=request.current_scheme, person=person, by=request.user)
        audit_record(user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.CREATED,
                     obj=survey, person=person, what="My Shared Life survey link")  # fmt: skip
        link = request.build_absolute_uri(reverse("survey_start", args=[token]))
        return render(request, "outcomes/survey_link.html", {"person": person, "survey": survey, "link": link})


class PersonResultsView(SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "outcomes/person_results.html"

    def get_context_data(self, **kwargs):
        person = get_object_or_404(Person, pk=self.kwargs["pk"])
        surveys, rows = selectors.person_answers(person=person)
        audit_record(user=self.request.user, scheme=self.request.current_scheme, action=AuditEvent.Action.VIEWED,
                     obj=person, what="My Shared Life answers")  # fmt: skip
        return {**super().get_context_data(**kwargs), "person": person, "surveys": surveys, "rows": rows}


@login_required
@require_http_methods(["GET"])
def network_results(request):
    if not request.user.is_network_viewer:
        raise PermissionDenied("Only network viewers see pooled figures")
    cells = selectors.network_results()
    rows = [{"label": Area(area).label, "cell": c} for area, c in cells.items()]
    return render(request, "outcomes/network.html",
                  {"rows": rows, "chart": selectors.chart(rows), "smallest": selectors.SMALLEST_GROUP})  # fmt: skip
