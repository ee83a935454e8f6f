"""The carer portal: a carer's own household, on a phone. Each page finds the household from the signed-in carer
(never from the URL or the form), and anything of another household is simply not found (404)."""

import calendar
from datetime import date, timedelta
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from carers.models import Member, RenewalUpload
from carers.services import renewal_upload
from matching import services as matching_services
from matching.models import Booking, PaymentRun, Timesheet
from matching.selectors import calendar_bookings, timesheet_rows
from outcomes import services as outcome_services
from schemes.audit import audit_record
from schemes.models import AuditEvent
from schemes.pdf import render_pdf
from schemes.selectors import first_and_more, unread_notifications
from schemes.services import email_choice_set, notifications_mark_read
from schemes.views import SchemeFormView, SchemeView, act_and_tell

from . import forms, selectors


class Portal(SchemeView):
    """Base of every portal page: only the carer role may come in, and only to their own household."""

    scheme_permission = "use_portal"

    def dispatch(self, request, *args, **kwargs):
        self.member = Member.objects.select_related("household").filter(user=request.user).first()
        if self.member is None:
            raise Http404("No household for this carer")
        self.household = self.member.household
        # Member is scoped to the scheme in the URL, so the household's scheme is the one the middleware has read.
        self.household.scheme = request.current_scheme
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "household": self.household, "member": self.member,
                "today": self.today}  # fmt: skip

    def home(self):
        messages.success(self.request, self.done_message)
        return redirect("portal:home", scheme_slug=self.request.current_scheme.slug)


class PortalForm(Portal, SchemeFormView):
    done_message = ""


class HomeView(Portal, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        h, today = self.household, self.today
        coming, coming_more = first_and_more(selectors.coming_up(household=h, today=today),
                                             selectors.HOME_SHOWS["coming"])  # fmt: skip
        arrangements = selectors.current_arrangements(household=h, today=today)
        return {**super().get_context_data(**kwargs), "living": selectors.living_with_me(arrangements),
                "coming": coming, "coming_more": coming_more,
                "todo": selectors.to_do(household=h, today=today, arrangements=arrangements),
                "messages_unread": unread_notifications(user=self.request.user, scheme=h.scheme)}  # fmt: skip


class PersonView(Portal, TemplateView):
    """What the carer needs to know about someone placed with them, never the restricted fields."""

    template_name = "portal/person.html"

    def get_context_data(self, **kwargs):
        arrangement = selectors.my_arrangement_with(household=self.household, person_pk=self.kwargs["pk"],
                                                    today=self.today)  # fmt: skip
        if arrangement is None:
            raise Http404("Not placed with this household")
        audit_record(user=self.request.user, scheme=self.request.current_scheme, action=AuditEvent.Action.VIEWED,
                     obj=arrangement.person, what="person (carer portal)")  # fmt: skip
        return {**super().get_context_data(**kwargs), "person": arrangement.person, "arrangement": arrangement}


class SurveyWithPersonView(Portal, View):
    """Open My Shared Life with the person, on this phone: recorded as 'with help from my carer'."""

    def post(self, request, *args, **kwargs):
        arrangement = selectors.my_arrangement_with(household=self.household, person_pk=kwargs["pk"], today=self.today)
        if arrangement is None:
            raise Http404("Not placed with this household")
        _survey, token = outcome_services.survey_create(
            scheme=request.current_scheme, person=arrangement.person, by=request.user, arrangement=arrangement,
            help_mode="carer",
        )  # fmt: skip
        return redirect("survey_step", token=token, step=1)


class CalendarView(Portal, TemplateView):
    template_name = "portal/calendar.html"

    def get_context_data(self, **kwargs):
        try:
            first = date.fromisoformat(self.request.GET.get("month", "") + "-01")
        except ValueError:
            first = self.today.replace(day=1)
        if not 2000 <= first.year <= 2100:
            first = self.today.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        bookings, living, away = calendar_bookings(first=first, last=last, household_id=self.household.pk)
        previous = (first - timedelta(days=1)).replace(day=1)
        following = last + timedelta(days=1)
        return {**super().get_context_data(**kwargs), "first": first, "bookings": bookings, "living": living,
                "away": away, "previous": f"{previous:%Y-%m}", "next": f"{following:%Y-%m}"}  # fmt: skip


class AwayView(PortalForm):
    template_name = "portal/form.html"
    form_class = forms.AwayForm
    extra_context = {"title": _("Days you cannot have anyone")}
    done_message = _("Saved: the scheme will not book you on those days.")

    def perform(self, form):
        matching_services.unavailability_add(household=self.household, **form.cleaned_data)
        return self.home()


class BookingMixin:
    @cached_property
    def booking(self) -> Booking:
        """The carer's own booking, read once per request (a form page asks for it twice)."""
        return get_object_or_404(Booking.objects.select_related("person"), pk=self.kwargs["pk"],
                                 household=self.household)  # fmt: skip


class BookingAcceptView(BookingMixin, Portal, View):
    def post(self, request, *args, **kwargs):
        act_and_tell(request, lambda: matching_services.booking_accept(booking=self.booking, by=request.user),
                     done=_("Thank you: the booking is accepted."))  # fmt: skip
        return redirect("portal:home", scheme_slug=request.current_scheme.slug)


class BookingDeclineView(BookingMixin, PortalForm):
    template_name = "portal/form.html"
    form_class = forms.DeclineForm
    done_message = _("The booking is declined and the scheme has been told.")

    def get_context_data(self, **kwargs):
        booking = self.booking
        return {**super().get_context_data(**kwargs), "title": _("Decline a booking"),
                "intro": f"{booking.person.display_name}: {booking}"}  # fmt: skip

    def perform(self, form):
        matching_services.booking_decline(booking=self.booking, by=self.request.user, **form.cleaned_data)
        return self.home()


class TimesheetSendView(BookingMixin, PortalForm):
    template_name = "portal/form.html"
    form_class = forms.TimesheetForm
    done_message = _("Timesheet sent. The scheme will check it.")

    def get_context_data(self, **kwargs):
        booking = self.booking
        return {**super().get_context_data(**kwargs), "title": _("Send a timesheet"),
                "intro": f"{booking.person.display_name}: {booking}"}  # fmt: skip

    def perform(self, form):
        matching_services.timesheet_send(booking=self.booking, by=self.request.user, **form.cleaned_data)
        return self.home()


class TimesheetListView(Portal, TemplateView):
    template_name = "portal/timesheets.html"

    def get_context_data(self, **kwargs):
        sent = timesheet_rows(Timesheet.objects.filter(household=self.household))[:50]
        return {**super().get_context_data(**kwargs), "sent": sent,
                "to_send": list(selectors.timesheets_due(household=self.household, today=self.today))}  # fmt: skip


class RenewalsView(Portal, TemplateView):
    template_name = "portal/renewals.html"

    def get_context_data(self, **kwargs):
        uploads = RenewalUpload.objects.filter(household=self.household).select_related("member")[:20]
        return {**super().get_context_data(**kwargs), "uploads": uploads,
                "rows": selectors.checks_to_renew(household=self.household, today=self.today)}  # fmt: skip


class UploadView(PortalForm):
    template_name = "portal/form.html"
    form_class = forms.UploadForm
    extra_context = {"title": _("Send a certificate or document"), "multipart": True}
    done_message = _("Sent. The scheme will check it and let you know.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": list(Member.objects.filter(household=self.household))}

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", "")}

    def perform(self, form):
        data = form.cleaned_data
        member = Member.objects.filter(household=self.household, pk=data["member"]).first() if data["member"] else None
        renewal_upload(household=self.household, by=self.request.user, kind=data["kind"], evidence=data["evidence"],
                       member=member, note=data["note"])  # fmt: skip
        return self.home()


class PaymentsView(Portal, TemplateView):
    template_name = "portal/payments.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "months": selectors.my_payments(household=self.household)}


class StatementPdfView(Portal, View):
    def get(self, request, *args, **kwargs):
        run = get_object_or_404(PaymentRun, pk=kwargs["pk"], status=PaymentRun.Status.APPROVED)
        lines = selectors.statement_lines(household=self.household, run=run)
        if not lines:
            raise Http404("Nothing paid to this household that month")
        pdf = render_pdf("portal/statement_pdf.html", {"household": self.household, "run": run, "lines": lines,
                         "total": sum(line.amount for line in lines), "scheme": request.current_scheme},
                         request=request)  # fmt: skip
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="payment-statement-{run.month:%Y-%m}.pdf"'
        return response


class ConcernView(PortalForm):
    template_name = "portal/form.html"
    form_class = forms.ConcernForm
    extra_context = {"title": _("Report an incident or a concern"),
                     "intro": _("If someone is in danger now, call 999 first.")}  # fmt: skip
    done_message = _("Thank you. The scheme has been told straight away.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": list(selectors.my_people(household=self.household,
                                                                                 today=self.today))}  # fmt: skip

    def get_initial(self):
        return {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}

    def perform(self, form):
        data = dict(form.cleaned_data)
        arrangement = selectors.my_arrangement_with(household=self.household, person_pk=data.pop("person"),
                                                    today=self.today)  # fmt: skip
        if arrangement is None:
            raise ValidationError({"person": _("Choose someone you support.")})
        matching_services.concern_report(arrangement=arrangement, by=self.request.user, **data)
        return self.home()


class SettingsView(PortalForm):
    template_name = "portal/form.html"
    form_class = forms.EmailChoiceForm
    extra_context = {"title": _("My settings")}
    done_message = _("Saved.")

    def get_initial(self):
        return {"email_choice": self.request.user.email_choice}

    def perform(self, form):
        email_choice_set(user=self.request.user, choice=form.cleaned_data["email_choice"])
        return self.home()


class MessagesReadView(Portal, View):
    def post(self, request, *args, **kwargs):
        notifications_mark_read(user=request.user)
        return redirect("portal:home", scheme_slug=request.current_scheme.slug)
