"""Scheme settings, staff and people we support. Each view declares its `scheme_permission` (SchemeMiddleware)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView, View

from . import sections, selectors, services, subject_access, twofactor
from .audit import audit_record
from .filters import AuditFilter
from .forms import ImportantPlaceForm, MembershipForm, PersonForm, SchemeSettingsForm, StaffAddForm
from .i18n import chosen_language
from .lockout import unlock
from .models import AuditEvent, Membership, Notification, Person, User
from .pdf import render_pdf
from .permissions import Role

PAGE_SIZE = 25


class SchemeView:
    """Base for every view under /s/<scheme_slug>/: request.current_scheme and request.membership are set."""

    scheme_permission: str = ""

    def url(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs={"scheme_slug": self.request.current_scheme.slug, **kwargs})


def act_and_tell(request, action, *, done: str) -> bool:
    """Run a one-button action (a service call): say `done`, or what the service refused, as a message on the next
    page. Returns whether it was done."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done)
    return True


class SchemeFormView(SchemeView, FormView):
    """A form that hands its cleaned data to a service.

    `perform(form)` calls the service and returns the response. It runs in a savepoint: if the service refuses with a
    ValidationError, nothing it did is kept and its messages appear next to the fields they name.
    """

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return self.perform(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)


class SchemeSettingsView(SchemeFormView):
    scheme_permission = "manage_scheme"
    template_name = "schemes/settings.html"
    form_class = SchemeSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.current_scheme}

    def perform(self, form):
        services.scheme_update(scheme=self.request.current_scheme, **form.settings())
        messages.success(self.request, _("Settings saved."))
        return redirect(self.url("schemes:settings"))


class StaffListView(SchemeView, TemplateView):
    scheme_permission = "manage_scheme"
    template_name = "schemes/staff_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.staff_list(scheme=self.request.current_scheme), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return {**super().get_context_data(**kwargs), "page_obj": page, "form": StaffAddForm(), "now": timezone.now()}


class StaffAddView(SchemeFormView):
    scheme_permission = "manage_scheme"
    template_name = "schemes/staff_add.html"
    form_class = StaffAddForm

    def perform(self, form):
        services.staff_add(
            scheme=self.request.current_scheme,
            base_url=self.request.build_absolute_uri("/")[:-1],
            **form.cleaned_data,
        )
        messages.success(
            self.request, _("%(name)s has been added and emailed.") % {"name": form.cleaned_data["full_name"]}
        )
        return redirect(self.url("schemes:staff_list"))


class MembershipEditView(SchemeFormView):
    scheme_permission = "manage_scheme"
    template_name = "schemes/membership_edit.html"
    form_class = MembershipForm

    def dispatch(self, request, *args, **kwargs):
        self.membership = get_object_or_404(
            Membership.objects.select_related("user").exclude(role=Role.CARER),
            pk=kwargs["pk"],
            scheme=request.current_scheme,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"role": self.membership.role, "is_active": self.membership.is_active}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "member": self.membership}

    def perform(self, form):
        if self.membership.user_id == self.request.user.pk:
            form.add_error(None, _("You cannot change your own role. Ask another manager."))
            return self.form_invalid(form)
        services.membership_update(membership=self.membership, **form.cleaned_data)
        messages.success(self.request, _("Saved."))
        return redirect(self.url("schemes:staff_list"))


class MemberUnlockView(SchemeView, View):
    """A registered manager unlocks a colleague locked out after too many wrong passwords."""

    scheme_permission = "manage_scheme"

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(
            Membership.objects.select_related("user").exclude(role=Role.CARER),
            pk=kwargs["pk"],
            scheme=request.current_scheme,
        )
        unlock(membership.user)
        audit_record(user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.CHANGED,
                     obj=membership.user, what="account unlocked")  # fmt: skip
        messages.success(request, _("%(name)s can sign in again.") % {"name": membership.user.full_name})
        return redirect(self.url("schemes:staff_list"))


class MemberTwoFactorResetView(SchemeView, View):
    """A registered manager resets a colleague's two-step sign-in (a lost or new phone): their app and backup codes
    are forgotten, and they set up their new phone at their next sign-in."""

    scheme_permission = "manage_scheme"

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(Membership.objects.select_related("user"), pk=kwargs["pk"],
                                       scheme=request.current_scheme)  # fmt: skip
        twofactor.reset(membership.user)
        audit_record(user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.CHANGED,
                     obj=membership.user, what="two-step sign-in reset")  # fmt: skip
        messages.success(request, _("%(name)s will set up two-step sign-in again when they next sign in.")
                         % {"name": membership.user.full_name})  # fmt: skip
        return redirect(self.url("schemes:staff_list"))


class PersonListView(SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "schemes/person_list.html"

    def get_context_data(self, **kwargs):
        search = self.request.GET.get("q", "").strip()[:100]
        page = Paginator(selectors.person_list(search=search), PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = urlencode({"q": search}) if search else ""
        return {**super().get_context_data(**kwargs), "page_obj": page, "search": search, "query": query}


class PersonDetailView(SchemeView, DetailView):
    scheme_permission = "view_records"
    template_name = "schemes/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.prefetch_related("places")

    def get_context_data(self, **kwargs):
        audit_record(
            user=self.request.user, scheme=self.request.current_scheme, action=AuditEvent.Action.VIEWED, obj=self.object
        )
        return {
            **super().get_context_data(**kwargs),
            "place_form": ImportantPlaceForm(),
            "sections": sections.render_sections("person", request=self.request, obj=self.object),
        }


class SubjectAccessView(SchemeView, DetailView):
    """A registered manager exports everything held about one person: a zip of a readable PDF and the same as
    JSON. Every export is in the audit trail."""

    scheme_permission = "manage_scheme"
    template_name = "schemes/subject_access.html"
    context_object_name = "person"
    model = Person

    def post(self, request, *args, **kwargs):
        person = self.get_object()
        data = subject_access.gather(person)
        with translation.override(chosen_language(request)):
            context = {"data": data, "sections": subject_access.readable(data), "scheme": request.current_scheme}
            pdf = render_pdf("schemes/pdf/subject_access.html", context, request=request)
        audit_record(user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.DOWNLOADED,
                     obj=person, what="subject access export")  # fmt: skip
        response = HttpResponse(subject_access.export_zip(person, pdf=pdf, data=data), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="subject-access-{person.pk}.zip"'
        return response


class PersonFormMixin:
    template_name = "schemes/person_form.html"
    form_class = PersonForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "restricted": self.request.membership.has("view_restricted")}


class PersonCreateView(PersonFormMixin, SchemeFormView):
    scheme_permission = "manage_people"

    def perform(self, form):
        person = services.person_create(scheme=self.request.current_scheme, by=self.request.user, **form.profile())
        messages.success(self.request, _("%(name)s has been added.") % {"name": person.display_name})
        return redirect(person.get_absolute_url())


class PersonUpdateView(PersonFormMixin, SchemeFormView):
    scheme_permission = "manage_people"

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(Person.objects.all(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.person}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def perform(self, form):
        services.person_update(person=self.person, by=self.request.user, **form.profile())
        messages.success(self.request, _("Saved."))
        return redirect(self.person.get_absolute_url())


class PlaceAddView(SchemeFormView):
    scheme_permission = "manage_people"
    template_name = "schemes/place_form.html"
    form_class = ImportantPlaceForm

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(Person.objects.all(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def perform(self, form):
        services.place_add(person=self.person, **form.cleaned_data)
        messages.success(self.request, _("Place added."))
        return redirect(self.person.get_absolute_url())


class AuditTrailView(SchemeView, TemplateView):
    """The scheme's audit trail, newest first, searchable by person, member of staff, action and date."""

    scheme_permission = "view_audit"
    template_name = "schemes/audit.html"

    def get_context_data(self, **kwargs):
        filterset = AuditFilter(
            self.request.GET or None, queryset=selectors.audit_events(), scheme=self.request.current_scheme
        )
        events = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.audit_events()
        page = Paginator(events, 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {**super().get_context_data(**kwargs), "filter": filterset, "page_obj": page, "query": query.urlencode()}


class NotificationListView(SchemeView, TemplateView):
    """Your notifications in this scheme: unread first. Everyone sees only their own."""

    scheme_permission = "view_scheme"
    template_name = "schemes/notifications.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.notifications_for(user=self.request.user), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return {**super().get_context_data(**kwargs), "page_obj": page,
                "email_choices": User.EmailChoice.choices}  # fmt: skip


class NotificationsReadView(SchemeView, View):
    scheme_permission = "view_scheme"

    def post(self, request, *args, **kwargs):
        ids = [int(i) for i in request.POST.getlist("notification") if i.isdigit()]
        services.notifications_mark_read(user=request.user, notification_ids=ids or None)
        return redirect(
            request.POST.get("next")
            if request.POST.get("next") == self.url("dashboard")
            else self.url("schemes:notifications")
        )


class EmailChoiceView(SchemeView, View):
    """How you want to hear about notifications: each by email, a weekly digest, or only in the app."""

    scheme_permission = "view_scheme"

    def post(self, request, *args, **kwargs):
        choice = request.POST.get("email_choice", "")
        act_and_tell(request, lambda: services.email_choice_set(user=request.user, choice=choice), done=_("Saved."))
        return redirect(self.url("schemes:notifications"))


class OutboxView(SchemeView, TemplateView):
    """Emails that have not gone: failed (with the error) or still waiting after 15 minutes. Retries happen on their
    own with growing gaps; a manager can also send one again."""

    scheme_permission = "manage_scheme"
    template_name = "schemes/outbox.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.outbox(now=timezone.now()), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page}


class OutboxRetryView(SchemeView, View):
    scheme_permission = "manage_scheme"

    def post(self, request, *args, **kwargs):
        note = get_object_or_404(Notification, pk=kwargs["pk"], email_wanted=True, emailed_at__isnull=True)
        services.notification_email_retry(notification=note)
        messages.success(request, _("Sending again."))
        return redirect(self.url("schemes:outbox"))
