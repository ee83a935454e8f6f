"""Matching pages. Each view declares its `scheme_permission` (see SchemeMiddleware)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from carers.models import Household
from schemes.models import Person, age_on
from schemes.views import PAGE_SIZE, SchemeFormView, SchemeView

from . import selectors, services
from .forms import MatchStepForm, ProposeForm, ReferralForm, ReferralStatusForm
from .models import Match, Referral

EXCLUDED_SHOWN = 50


class ReferralBoardView(SchemeView, TemplateView):
    """People waiting for a match, how long against the scheme's target, and where each match stands."""

    scheme_permission = "view_records"
    template_name = "matching/board.html"

    def get_context_data(self, **kwargs):
        waiting_only = self.request.GET.get("all") != "1"
        page = Paginator(selectors.referral_board(waiting_only=waiting_only), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        today = timezone.localdate()
        target = self.request.current_scheme.matching_target_days
        rows = []
        for referral in page.object_list:
            days = (today - referral.referred_on).days
            rows.append({"referral": referral, "days": days, "late": referral.is_waiting and days > target})
        counts = selectors.referral_counts()
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page,
            "rows": rows,
            "target": target,
            "waiting_only": waiting_only,
            "counts": [(s, counts.get(s.value, 0)) for s in Referral.Status],
            "query": "" if waiting_only else "all=1",
        }


class ReferralCreateView(SchemeFormView):
    scheme_permission = "manage_people"
    template_name = "matching/form.html"
    form_class = ReferralForm
    extra_context = {"title": _("Record a referral")}

    def get_initial(self):
        return {"person": self.request.GET.get("person"), "referred_on": timezone.localdate()}

    def perform(self, form):
        referral = services.referral_create(
            scheme=self.request.current_scheme, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Referral recorded."))
        return redirect(referral.get_absolute_url())


class ReferralMixin:
    def dispatch(self, request, *args, **kwargs):
        self.referral = get_object_or_404(Referral.objects.select_related("person__scheme"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "referral": self.referral}


class ReferralDetailView(ReferralMixin, SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "matching/referral_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        matches = selectors.open_matches_for(referral=self.referral)
        context["matches"] = matches
        if self.referral.is_waiting:
            result = services.suggest_carers(self.referral.person, referral=self.referral)
            exploring = {m.household_id for m in matches if m.is_open}
            context["suggestions"] = [(j, j.household_id in exploring) for j in result.suggestions]
            context["excluded"] = result.excluded[:EXCLUDED_SHOWN]
            context["excluded_more"] = max(len(result.excluded) - EXCLUDED_SHOWN, 0)
            context["status_form"] = ReferralStatusForm()
        return context


class ReferralStatusView(ReferralMixin, SchemeFormView):
    scheme_permission = "manage_people"
    template_name = "matching/form.html"
    form_class = ReferralStatusForm
    extra_context = {"title": _("Change the referral's status")}

    def perform(self, form):
        services.referral_move(referral=self.referral, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Saved."))
        return redirect(self.referral.get_absolute_url())


class MatchProposeView(ReferralMixin, SchemeFormView):
    scheme_permission = "manage_people"
    template_name = "matching/form.html"
    form_class = ProposeForm
    extra_context = {"title": _("Explore a household")}

    def perform(self, form):
        household = get_object_or_404(Household.objects.all(), pk=form.cleaned_data["household"])
        match = services.match_propose(
            referral=self.referral, household=household, by=self.request.user, note=form.cleaned_data["note"]
        )
        messages.success(self.request, _("%(household)s is now being explored.") % {"household": household.name})
        return redirect(match.get_absolute_url())

    def form_invalid(self, form):
        for error in form.non_field_errors():
            messages.error(self.request, error)
        return redirect(self.referral.get_absolute_url())


class MatchMixin:
    def dispatch(self, request, *args, **kwargs):
        self.match = get_object_or_404(
            Match.objects.select_related("referral__person", "household", "scheme"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "match": self.match}


class MatchDetailView(MatchMixin, SchemeView, TemplateView):
    """The match's journey so far and, for staff who manage people, the form for the next step."""

    scheme_permission = "view_records"
    template_name = "matching/match_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["steps"] = list(self.match.steps.select_related("by"))
        if self.request.membership.has("manage_people") and self.match.is_open:
            context["form"] = MatchStepForm(current=self.match.status, initial={"on": timezone.localdate()})
        return context


class MatchStepView(MatchMixin, SchemeFormView):
    scheme_permission = "manage_people"
    template_name = "matching/match_detail.html"
    form_class = MatchStepForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current": self.match.status}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "steps": list(self.match.steps.select_related("by"))}

    def perform(self, form):
        services.match_step(match=self.match, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Recorded."))
        return redirect(self.match.get_absolute_url())


class AnonymisedProfileView(MatchMixin, SchemeView, TemplateView):
    """What a carer is shown before they say whether they are interested: no name, address, contacts or risks."""

    scheme_permission = "view_records"
    template_name = "matching/profile.html"

    def get_context_data(self, **kwargs):
        person: Person = self.match.referral.person
        age = age_on(person.date_of_birth, timezone.localdate())
        return {**super().get_context_data(**kwargs), "profile": person, "age": age}
