"""Matching pages. Each view declares its `scheme_permission` (see SchemeMiddleware)."""

import csv
from calendar import Calendar, monthrange
from datetime import date, datetime, timedelta
from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from carers.models import Household
from schemes.audit import audit_record, changes_between
from schemes.i18n import chosen_language, month
from schemes.models import AuditEvent, Person, age_on
from schemes.pdf import render_pdf
from schemes.selectors import staff_with_permission
from schemes.views import PAGE_SIZE, SchemeFormView, SchemeView, act_and_tell

from . import selectors, services
from .forms import (
    ActionDoneForm,
    ArrangementEndForm,
    ArrangementForm,
    BookingForm,
    FeeBandForm,
    FeeRatesForm,
    IncidentActionForm,
    IncidentCloseForm,
    IncidentForm,
    MatchStepForm,
    PaymentMonthForm,
    ProposeForm,
    ReasonForm,
    ReferralForm,
    ReferralStatusForm,
    UnavailabilityForm,
    VisitForm,
)
from .models import (
    Arrangement,
    ArrangementType,
    Booking,
    FeeBand,
    Incident,
    IncidentAction,
    Match,
    PaymentRun,
    Referral,
    Timesheet,
    Visit,
)

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
        """The button sits beside a suggestion on the referral's page: go back there and say why."""
        for error in form.non_field_errors():
            messages.error(self.request, error)
        if form.has_error("household") or form.has_error("note"):
            messages.error(self.request, _("Choose a household from the suggestions, with a note of up to 2,000 "
                                           "characters."))  # fmt: skip
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


# --- Arrangements ----------------------------------------------------------------------------------------------------


class LoadObject:
    """Loads `self.object` from the URL's pk (inside the scheme's scope: another scheme's object is a 404)."""

    model = None
    related: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.model.objects.select_related(*self.related), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object}


class ArrangementListView(SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "matching/arrangement_list.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "active")
        status = status if status in ("active", "ended", "all") else "active"
        kind = self.request.GET.get("type", "")
        kind = kind if kind in ArrangementType.values else ""
        arrangements = selectors.arrangement_list(status=status, arrangement_type=kind, today=timezone.localdate())
        page = Paginator(arrangements, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs), "page_obj": page, "status": status, "type": kind,
            "types": ArrangementType.choices, "query": urlencode({"status": status, "type": kind}),
        }  # fmt: skip


class ArrangementStartView(SchemeFormView):
    """Start an arrangement: from an agreed match (?match=<id>) or recording one that already exists."""

    scheme_permission = "manage_arrangements"
    template_name = "matching/arrangement_form.html"
    form_class = ArrangementForm

    def dispatch(self, request, *args, **kwargs):
        match_id = request.GET.get("match")
        self.match = None
        if match_id:
            self.match = get_object_or_404(
                Match.objects.select_related("referral__person", "household"), pk=_int_or_404(match_id)
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "match": self.match}

    def get_initial(self):
        initial = {"starts_on": timezone.localdate()}
        if self.match is not None:
            referral = self.match.referral
            kind = referral.support_type if referral.support_type in ArrangementType.values else ""
            initial.update(
                type=kind, funder=referral.funding, starts_on=max(referral.wanted_from, timezone.localdate())
            )
        return initial

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "match": self.match}

    def perform(self, form):
        data = dict(form.cleaned_data)
        if self.match is not None:
            data.update(person=self.match.referral.person, household=self.match.household)
        arrangement = services.arrangement_start(
            scheme=self.request.current_scheme, by=self.request.user, match=self.match, **data
        )
        messages.success(self.request, _("The arrangement has started. Its reviews and visits are planned."))
        return redirect(arrangement.get_absolute_url())


def _int_or_404(value: str) -> int:
    if not value.isdigit():
        raise Http404("Not a number")
    return int(value)


class ArrangementDetailView(LoadObject, SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "matching/arrangement_detail.html"
    model = Arrangement
    related = ("person", "household", "fee_band", "match", "scheme")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        may_see_incidents = self.request.membership.has("view_safeguarding")
        return {
            **super().get_context_data(**kwargs),
            **selectors.arrangement_page(arrangement=self.object, today=today, with_incidents=may_see_incidents),
            "today": today,
            "may_see_incidents": may_see_incidents,
            "month": f"{today:%Y-%m}",
        }


class ArrangementLetterView(LoadObject, SchemeView, View):
    """An easy-read letter for the person about their arrangement: who, where, when, who their worker is, the
    reviews and the survey, and what to do if they are worried. In English or Welsh (?language=cy)."""

    scheme_permission = "view_records"
    model = Arrangement
    related = ("person", "household__worker", "scheme")

    def get(self, request, *args, **kwargs):
        arrangement = self.object
        language = chosen_language(request)
        with translation.override(language):
            pdf = render_pdf("matching/arrangement_letter.html", {
                "arrangement": arrangement, "scheme": arrangement.scheme, "person": arrangement.person,
                "next_review": selectors.next_review(arrangement=arrangement),
                "pictures": letter_pictures(),
            }, request=request)  # fmt: skip
        audit_record(user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.DOWNLOADED,
                     obj=arrangement, person=arrangement.person, what="easy-read letter (PDF)")  # fmt: skip
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="letter-{arrangement.pk}-{language}.pdf"'
        return response


def letter_pictures() -> dict[str, str]:
    """The survey's pictures, as files WeasyPrint reads straight from disk."""
    names = ("family", "community_help", "better", "safe")
    return {name: Path(finders.find(f"outcomes/pictures/{name}.svg")).as_uri() for name in names}


class ArrangementEndView(LoadObject, SchemeFormView):
    scheme_permission = "manage_arrangements"
    template_name = "matching/object_form.html"
    form_class = ArrangementEndForm
    model = Arrangement
    related = ("person", "household", "scheme")
    extra_context = {"title": _("End the arrangement")}

    def get_initial(self):
        return {"ended_on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        services.arrangement_end(arrangement=self.object, by=self.request.user, ended_on=data["ended_on"],
                                 reason=data["reason"], note=data["note"])  # fmt: skip
        messages.success(self.request, _("The arrangement has ended. The place is free from the next day."))
        return redirect(self.object.get_absolute_url())


class BookingCreateView(LoadObject, SchemeFormView):
    scheme_permission = "manage_arrangements"
    template_name = "matching/object_form.html"
    form_class = BookingForm
    model = Arrangement
    related = ("person", "household", "scheme")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "arrangement": self.object}

    def get_context_data(self, **kwargs):
        title = _("Book a day session") if self.object.type == ArrangementType.DAY_SUPPORT else _("Book a short break")
        return {**super().get_context_data(**kwargs), "title": title}

    def perform(self, form):
        booking = services.booking_create(arrangement=self.object, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Booked: %(booking)s.") % {"booking": booking})
        return redirect(self.object.get_absolute_url())


class BookingCancelView(LoadObject, SchemeFormView):
    scheme_permission = "manage_arrangements"
    template_name = "matching/object_form.html"
    form_class = ReasonForm
    model = Booking
    related = ("arrangement__person", "arrangement__household", "arrangement__scheme")
    extra_context = {"title": _("Cancel a booking")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object.arrangement, "booking": self.object}

    def perform(self, form):
        services.booking_cancel(booking=self.object, by=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("The booking is cancelled."))
        return redirect(self.object.arrangement.get_absolute_url())


class CalendarView(SchemeView, TemplateView):
    """A month of bookings, people living in and days away: a grid on wide screens, a list of days on phones."""

    scheme_permission = "view_records"
    template_name = "matching/calendar.html"
    of = ""

    def get_context_data(self, **kwargs):
        first = _month_from(self.request.GET.get("month"))
        last = first.replace(day=monthrange(first.year, first.month)[1])
        if self.of == "household":
            subject = get_object_or_404(Household.objects.all(), pk=self.kwargs["pk"])
            booked, live_in, away = selectors.calendar_bookings(first=first, last=last, household_id=subject.pk)
            title = subject.name
        else:
            subject = get_object_or_404(Person.objects.all(), pk=self.kwargs["pk"])
            booked, live_in, away = selectors.calendar_bookings(first=first, last=last, person_id=subject.pk)
            title = subject.display_name
        weeks = []
        for week in Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
            weeks.append([
                {"day": day, "in_month": day.month == first.month, "today": day == timezone.localdate(),
                 "booked": [b for b in booked if b.starts_on <= day <= b.last_day],
                 "living": [a for a in live_in if a.starts_on <= day and (a.last_day is None or day <= a.last_day)],
                 "away": any(u.starts_on <= day <= u.ends_on for u in away)}
                for day in week
            ])  # fmt: skip
        return {
            **super().get_context_data(**kwargs), "subject": subject, "title": title, "of": self.of, "weeks": weeks,
            "first": first, "previous": f"{first - timedelta(days=1):%Y-%m}",
            "next": f"{last + timedelta(days=1):%Y-%m}",
            "days": [d for week in weeks for d in week if d["in_month"] and (d["booked"] or d["away"])],
            "live_in": live_in, "away": away,
        }  # fmt: skip


def _month_from(text: str | None) -> date:
    try:
        return datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


class UnavailabilityAddView(SchemeFormView):
    scheme_permission = "manage_arrangements"
    template_name = "matching/object_form.html"
    form_class = UnavailabilityForm
    extra_context = {"title": _("Days the household is not available")}

    def dispatch(self, request, *args, **kwargs):
        self.household = get_object_or_404(Household.objects.all(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.unavailability_add(household=self.household, **form.cleaned_data)
        messages.success(self.request, _("Saved: no bookings can be made on these days."))
        return redirect(
            self.url("matching:household_calendar", pk=self.household.pk)
            + f"?month={form.cleaned_data['starts_on']:%Y-%m}"
        )


class VisitsDueView(SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "matching/visits_due.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        page = Paginator(selectors.with_arrangement_names(selectors.visits_due(today=today)), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return {**super().get_context_data(**kwargs), "page_obj": page, "today": today}


class VisitRecordView(LoadObject, SchemeFormView):
    scheme_permission = "manage_arrangements"
    template_name = "matching/object_form.html"
    form_class = VisitForm
    model = Visit
    related = ("arrangement__person", "arrangement__household", "arrangement__scheme")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "visit": self.object}

    def get_initial(self):
        return {"done_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        title = _("Record the review") if self.object.kind == Visit.Kind.REVIEW else _("Record the monitoring visit")
        return {**super().get_context_data(**kwargs), "title": title, "object": self.object.arrangement}

    def perform(self, form):
        services.visit_record(visit=self.object, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Recorded."))
        return redirect(self.object.arrangement.get_absolute_url())


# --- Incidents and safeguarding (view_safeguarding only) -------------------------------------------------------------


class IncidentListView(SchemeView, TemplateView):
    scheme_permission = "view_safeguarding"
    template_name = "matching/incident_list.html"

    def get_context_data(self, **kwargs):
        open_only = self.request.GET.get("all") != "1"
        page = Paginator(selectors.incident_list(open_only=open_only), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "open_only": open_only,
                "query": "" if open_only else "all=1"}  # fmt: skip


class IncidentCreateView(SchemeFormView):
    scheme_permission = "view_safeguarding"
    template_name = "matching/object_form.html"
    form_class = IncidentForm
    extra_context = {"title": _("Record an incident or concern")}

    def get_initial(self):
        return {"arrangement": self.request.GET.get("arrangement"), "occurred_at": timezone.localtime()}

    def perform(self, form):
        incident = services.incident_record(scheme=self.request.current_scheme, by=self.request.user,
                                            **form.cleaned_data)  # fmt: skip
        audit_record(user=self.request.user, scheme=self.request.current_scheme, action=AuditEvent.Action.CREATED,
                     obj=incident, person=incident.arrangement.person, what="incident")  # fmt: skip
        messages.success(self.request, _("Incident recorded."))
        return redirect(incident.get_absolute_url())


class IncidentMixin(LoadObject):
    model = Incident
    related = ("arrangement__person", "arrangement__household", "scheme")


class IncidentDetailView(IncidentMixin, SchemeView, TemplateView):
    scheme_permission = "view_safeguarding"
    template_name = "matching/incident_detail.html"

    def get_context_data(self, **kwargs):
        audit_record(user=self.request.user, scheme=self.request.current_scheme, action=AuditEvent.Action.VIEWED,
                     obj=self.object, person=self.object.arrangement.person, what="incident")  # fmt: skip
        staff = staff_with_permission(scheme=self.request.current_scheme, permission="view_safeguarding")
        return {
            **super().get_context_data(**kwargs),
            "actions": list(self.object.actions.select_related("owner")),
            "action_form": IncidentActionForm(
                staff=staff, initial={"due_on": timezone.localdate() + timedelta(days=7)}
            ),
            "close_form": IncidentCloseForm(initial={"closed_on": timezone.localdate()}),
            "done_form": ActionDoneForm(initial={"done_on": timezone.localdate()}),
        }


class IncidentUpdateView(IncidentMixin, SchemeFormView):
    scheme_permission = "view_safeguarding"
    template_name = "matching/object_form.html"
    form_class = IncidentForm
    extra_context = {"title": _("Update the incident")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Incident.objects.get(pk=self.object.pk)}

    def perform(self, form):
        before = Incident.objects.values().get(pk=self.object.pk)
        incident = services.incident_update(incident=self.object, by=self.request.user, **form.cleaned_data)
        after = Incident.objects.values().get(pk=incident.pk)
        audit_record(user=self.request.user, scheme=self.request.current_scheme, action=AuditEvent.Action.CHANGED,
                     obj=incident, person=incident.arrangement.person, what="incident",
                     changes=changes_between(before, after))  # fmt: skip
        messages.success(self.request, _("Saved."))
        return redirect(incident.get_absolute_url())


class IncidentActionAddView(IncidentMixin, SchemeFormView):
    scheme_permission = "view_safeguarding"
    template_name = "matching/object_form.html"
    form_class = IncidentActionForm
    extra_context = {"title": _("Add a follow-up action")}

    def get_form_kwargs(self):
        staff = staff_with_permission(scheme=self.request.current_scheme, permission="view_safeguarding")
        return {**super().get_form_kwargs(), "staff": staff}

    def perform(self, form):
        services.incident_action_add(incident=self.object, **form.cleaned_data)
        messages.success(self.request, _("Action added."))
        return redirect(self.object.get_absolute_url())


class IncidentActionDoneView(LoadObject, SchemeFormView):
    scheme_permission = "view_safeguarding"
    template_name = "matching/object_form.html"
    form_class = ActionDoneForm
    model = IncidentAction
    related = ("incident__scheme",)
    extra_context = {"title": _("Mark the action done")}

    def perform(self, form):
        services.incident_action_done(item=self.object, **form.cleaned_data)
        messages.success(self.request, _("Marked done."))
        return redirect(self.object.incident.get_absolute_url())


class IncidentCloseView(IncidentMixin, SchemeFormView):
    scheme_permission = "view_safeguarding"
    template_name = "matching/object_form.html"
    form_class = IncidentCloseForm
    extra_context = {"title": _("Close the incident")}

    def perform(self, form):
        services.incident_close(incident=self.object, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("The incident is closed."))
        return redirect(self.object.get_absolute_url())


# --- Money (manage_finance) ------------------------------------------------------------------------------------------


class FeesView(SchemeFormView):
    """The scheme's rates for short breaks and day support, and its weekly fee bands for live-in support."""

    scheme_permission = "manage_finance"
    template_name = "matching/fees.html"
    form_class = FeeRatesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": services.fee_rates_for(self.request.current_scheme)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "bands": list(FeeBand.objects.order_by("weekly_rate", "name")),
                "band_form": kwargs.get("band_form") or FeeBandForm()}  # fmt: skip

    def perform(self, form):
        form.save()
        messages.success(self.request, _("Rates saved."))
        return redirect(self.url("matching:fees"))


class FeeBandAddView(SchemeFormView):
    scheme_permission = "manage_finance"
    template_name = "matching/object_form.html"
    form_class = FeeBandForm
    extra_context = {"title": _("Add a fee band")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": FeeBand(scheme=self.request.current_scheme)}

    def perform(self, form):
        if FeeBand.objects.filter(name=form.cleaned_data["name"]).exists():
            raise ValidationError({"name": _("There is already a band with this name.")})
        form.save()
        messages.success(self.request, _("Fee band added."))
        return redirect(self.url("matching:fees"))


class PaymentRunListView(SchemeFormView):
    scheme_permission = "manage_finance"
    template_name = "matching/payment_runs.html"
    form_class = PaymentMonthForm

    def get_initial(self):
        return {"month": timezone.localdate().replace(day=1)}

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.payment_run_list(), PAGE_SIZE)
        return {**super().get_context_data(**kwargs), "page_obj": page.get_page(self.request.GET.get("page"))}

    def perform(self, form):
        run = services.payment_run_prepare(scheme=self.request.current_scheme, month=form.cleaned_data["month"],
                                           by=self.request.user)  # fmt: skip
        messages.success(self.request, _("Payments for %(month)s worked out.") % {"month": month(run.month)})
        return redirect(run.get_absolute_url())


class PaymentRunView(LoadObject, SchemeView, TemplateView):
    scheme_permission = "manage_finance"
    template_name = "matching/payment_run.html"
    model = PaymentRun
    related = ("approved_by", "scheme")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "statements": selectors.statements(run=self.object),
                "invoices": selectors.invoices(run=self.object)}  # fmt: skip


class PaymentRunApproveView(LoadObject, SchemeView, View):
    scheme_permission = "manage_finance"
    model = PaymentRun

    def post(self, request, *args, **kwargs):
        act_and_tell(request, lambda: services.payment_run_approve(run=self.object, by=request.user),
                     done=_("Approved. These payments are now locked."))  # fmt: skip
        return redirect(self.object.get_absolute_url())


class PaymentRunCSVView(LoadObject, SchemeView, View):
    """The month as CSV: carer statements (every line) or invoices (care fees by funder)."""

    scheme_permission = "manage_finance"
    model = PaymentRun
    related = ("scheme",)
    which = "statements"

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.which}-{self.object.month:%Y-%m}.csv"'
        out = csv.writer(response)
        if self.which == "statements":
            out.writerow(["household", "person", "funder", "part", "description", "amount"])
            for entry in selectors.statements(run=self.object):
                for line in entry["lines"]:
                    person = line.arrangement.person.display_name
                    out.writerow([entry["household"].name, person, line.get_funder_display(),
                                  line.get_part_display(), line.description, line.amount])  # fmt: skip
        else:
            out.writerow(["funder", "arrangements", "care fees"])
            for row in selectors.invoices(run=self.object):
                out.writerow([row["label"], row["arrangements"], row["total"]])
        audit_record(user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.DOWNLOADED,
                     obj=self.object, what=f"payments {self.which}")  # fmt: skip
        return response


class TimesheetListView(SchemeView, TemplateView):
    """Timesheets carers have sent from the portal, waiting first: approve them (mileage is then paid) or send back."""

    scheme_permission = "manage_arrangements"
    template_name = "matching/timesheets.html"

    def get_context_data(self, **kwargs):
        waiting = self.request.GET.get("all") != "1"
        timesheets = selectors.timesheet_rows(Timesheet.objects.all()).order_by("status", "-sent_at", "-pk")
        if waiting:
            timesheets = timesheets.filter(status=Timesheet.Status.SENT)
        page = Paginator(timesheets, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "waiting": waiting,
                "query": "" if waiting else "all=1"}  # fmt: skip


class TimesheetApproveView(LoadObject, SchemeView, View):
    scheme_permission = "manage_arrangements"
    model = Timesheet

    def post(self, request, *args, **kwargs):
        act_and_tell(request, lambda: services.timesheet_decide(timesheet=self.object, by=request.user, approve=True),
                     done=_("Timesheet approved."))  # fmt: skip
        return redirect("matching:timesheets", scheme_slug=request.current_scheme.slug)


class TimesheetReturnView(LoadObject, SchemeFormView):
    scheme_permission = "manage_arrangements"
    template_name = "matching/object_form.html"
    form_class = ReasonForm
    model = Timesheet
    related = ("booking__person",)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Send a timesheet back"),
                "booking": self.object.booking}  # fmt: skip

    def perform(self, form):
        services.timesheet_decide(timesheet=self.object, by=self.request.user, approve=False,
                                  reason=form.cleaned_data["reason"])  # fmt: skip
        messages.success(self.request, _("Sent back; the carer can see why."))
        return redirect("matching:timesheets", scheme_slug=self.request.current_scheme.slug)
