"""Carer recruitment and approval pages. Each view declares its `scheme_permission` (see SchemeMiddleware)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from schemes import sections
from schemes.audit import audit_record
from schemes.i18n import day
from schemes.models import AuditEvent, Membership, Person
from schemes.pdf import render_pdf
from schemes.permissions import PUBLIC
from schemes.ratelimit import rate_limit_allows
from schemes.selectors import staff_to_choose, staff_with_permission
from schemes.views import PAGE_SIZE, SchemeFormView, SchemeView, act_and_tell

from . import selectors, services
from .filters import HouseholdFilter
from .forms import (
    AgendaForm,
    AppealForm,
    CarerReviewForm,
    CheckForm,
    DeapprovalReferralForm,
    DecisionForm,
    EndForm,
    EnquiryForm,
    HouseholdForm,
    InviteForm,
    MemberForm,
    NoteForm,
    PanelForm,
    PublicEnquiryForm,
    ReasonForm,
    RecommendForm,
    TermsVaryForm,
    UploadAcceptForm,
)
from .models import RECRUITMENT_STAGES, Check, Household, Member, Panel, PanelItem, RenewalUpload, Stage


class HouseholdListView(SchemeView, TemplateView):
    """The pipeline board: households by stage, days in stage and since enquiry, compliance at a glance."""

    scheme_permission = "view_records"
    template_name = "carers/household_list.html"

    def get_context_data(self, **kwargs):
        scheme = self.request.current_scheme
        households = selectors.pipeline()
        filterset = HouseholdFilter(
            self.request.GET or None,
            queryset=households,
            workers=staff_to_choose(scheme=scheme, permission="manage_carers"),
        )
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else households
        today = timezone.localdate()
        cutoff = selectors.overdue_cutoff(target_days=scheme.recruitment_target_days, today=today)
        overdue_only = self.request.GET.get("overdue") == "1"
        if overdue_only:
            queryset = selectors.only_overdue(queryset, cutoff=cutoff)
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = selectors.board_rows(households=list(page.object_list), cutoff=cutoff, today=today)
        counts = selectors.stage_counts()
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            "stage_counts": [(Stage(s), counts.get(s, 0)) for s in [*RECRUITMENT_STAGES, Stage.APPROVED]],
            "overdue_only": overdue_only,
            "query": query.urlencode(),
            "target": scheme.recruitment_target_days,
        }


class HouseholdCreateView(SchemeFormView):
    scheme_permission = "manage_carers"
    template_name = "carers/form.html"
    form_class = EnquiryForm
    extra_context = {"title": _("Record an enquiry")}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "workers": staff_with_permission(scheme=self.request.current_scheme, permission="manage_carers"),
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        note = data.pop("note")
        household = services.household_create(
            scheme=self.request.current_scheme, by=self.request.user, note=note, **data
        )
        messages.success(self.request, _("Enquiry recorded."))
        return redirect(household.get_absolute_url())


class HouseholdMixin:
    """Finds the household in the URL within the current scheme (another scheme's is simply not there: 404)."""

    def dispatch(self, request, *args, **kwargs):
        self.household = get_object_or_404(Household.objects.select_related("worker"), pk=kwargs["pk"])
        # Household is scoped to the scheme in the URL: its scheme is the one the middleware has already read.
        self.household.scheme = request.current_scheme
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "household": self.household}

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(self.household.get_absolute_url())


class HouseholdDetailView(HouseholdMixin, SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "carers/household_detail.html"

    def get_context_data(self, **kwargs):
        household = self.household
        papers = selectors.household_papers(household=household)
        rows = selectors.household_compliance(households=[household], papers=papers)[household.pk]
        audit_record(user=self.request.user, scheme=self.request.current_scheme, action=AuditEvent.Action.VIEWED,
                     obj=household, what="carer household and its checks")  # fmt: skip
        context = {
            **super().get_context_data(**kwargs),
            **papers,
            "compliance": rows,
            "overall": selectors.status_badge(selectors.overall_status(rows)),
            "can_advance": household.stage in services.NEXT_STAGE,
            "next_stage": Stage(services.NEXT_STAGE[household.stage])
            if household.stage in services.NEXT_STAGE
            else None,
            "is_recruiting": household.stage in RECRUITMENT_STAGES,
            "sections": sections.render_sections("household", request=self.request, obj=household),
        }
        if household.stage == Stage.TRAINING:
            context["panel_missing"] = services.missing_for_panel(household)
        if household.stage == Stage.APPROVED:
            context["blocked"] = selectors.blocked_from_new_arrangements(household, rows)
        return context


class HouseholdRecordPdfView(HouseholdMixin, SchemeView, View):
    """The household's whole trail on paper: members, checks, panels, decisions, terms, reviews and timeline."""

    scheme_permission = "view_records"

    def get(self, request, *args, **kwargs):
        household = self.household
        papers = selectors.household_papers(household=household, all_events=True)
        context = {
            **papers,
            "household": household,
            "scheme": request.current_scheme,
            "compliance": selectors.household_compliance(households=[household], papers=papers)[household.pk],
        }
        pdf = render_pdf("carers/household_record.html", context, request=request)
        audit_record(user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.DOWNLOADED,
                     obj=household, what="carer household record (PDF)")  # fmt: skip
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="household-{household.pk}-record.pdf"'
        return response


class HouseholdUpdateView(HouseholdMixin, SchemeFormView):
    scheme_permission = "manage_carers"
    template_name = "carers/form.html"
    form_class = HouseholdForm
    extra_context = {"title": _("Change household details")}

    def get_form_kwargs(self):
        workers = staff_with_permission(scheme=self.request.current_scheme, permission="manage_carers")
        return {**super().get_form_kwargs(), "instance": self.household, "workers": workers}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.household_update(household=self.household, by=self.request.user, **fields)
        return self.done(_("Saved."))


class HouseholdActionView(HouseholdMixin, SchemeFormView):
    """A form on one household that hands its data to one service, then returns to the household's page.

    Subclasses name the service (called with household=, by= and the form's cleaned data) and say what happened.
    """

    template_name = "carers/form.html"
    service = None

    def message(self, result) -> str:
        raise NotImplementedError

    def perform(self, form):
        result = type(self).service(household=self.household, by=self.request.user, **form.cleaned_data)
        return self.done(self.message(result))


class MemberAddView(HouseholdActionView):
    scheme_permission = "manage_carers"
    form_class = MemberForm
    extra_context = {"title": _("Add someone who lives in the household")}
    service = services.member_add

    def message(self, member):
        return _("%(name)s added.") % {"name": member.full_name}


class CheckAddView(HouseholdActionView):
    scheme_permission = "manage_carers"
    form_class = CheckForm
    extra_context = {"title": _("Record a check, certificate or course")}
    service = services.check_record

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": Member.objects.filter(household=self.household)}

    def get_initial(self):
        return {"kind": self.request.GET.get("kind"), "member": self.request.GET.get("member"), "is_clear": True}

    def message(self, check):
        return _("%(what)s recorded.") % {"what": check.get_kind_display()}


class CheckEvidenceView(SchemeView, View):
    """Evidence is private: only through this view, for staff who may see records, always as a download."""

    scheme_permission = "view_records"

    def get(self, request, *args, **kwargs):
        check = get_object_or_404(Check.objects.exclude(evidence=""), pk=kwargs["pk"])
        audit_record(
            user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.DOWNLOADED, obj=check,
            what=f"evidence: {check.get_kind_display()}", description=check.evidence_name,
        )  # fmt: skip
        response = FileResponse(
            check.evidence.open("rb"), as_attachment=True, filename=check.evidence_name,
            content_type=check.evidence_type,
        )  # fmt: skip
        return response


class HouseholdAdvanceView(HouseholdActionView):
    scheme_permission = "manage_carers"
    form_class = NoteForm
    extra_context = {"title": _("Move to the next stage")}
    service = services.household_advance

    def message(self, household):
        return _("Moved to %(stage)s.") % {"stage": household.get_stage_display()}


class HouseholdEndView(HouseholdActionView):
    scheme_permission = "manage_carers"
    form_class = EndForm
    extra_context = {"title": _("Withdraw or close")}
    service = services.household_end

    def message(self, household):
        return _("Recorded: %(stage)s.") % {"stage": household.get_stage_display()}


class HouseholdSuspendView(HouseholdActionView):
    scheme_permission = "approve_carers"
    form_class = ReasonForm
    extra_context = {"title": _("Suspend this household")}
    service = services.household_suspend

    def message(self, household):
        return _("Suspended. The household cannot take anyone new until the suspension is lifted.")


class HouseholdLiftSuspensionView(HouseholdActionView):
    scheme_permission = "approve_carers"
    form_class = ReasonForm
    extra_context = {"title": _("Lift the suspension")}
    service = services.household_lift_suspension

    def message(self, household):
        return _("Suspension lifted.")


class CarerReviewView(HouseholdActionView):
    scheme_permission = "manage_carers"
    form_class = CarerReviewForm
    extra_context = {"title": _("Record the annual review")}
    service = services.carer_review_record

    def get_initial(self):
        return {"reviewed_on": timezone.localdate()}

    def message(self, review):
        return _("Review recorded. The next one is due on %(date)s.") % {"date": day(review.next_review_on)}


class TermsVaryView(HouseholdMixin, SchemeFormView):
    scheme_permission = "approve_carers"
    template_name = "carers/form.html"
    form_class = TermsVaryForm
    extra_context = {"title": _("Vary the approval terms")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": Person.objects.all()}

    def get_initial(self):
        household = self.household
        return {
            "support_types": household.terms_support_types,
            "needs": household.terms_needs,
            "max_people": household.terms_max_people,
            "named_person": household.terms_named_person_id,
            "probation_ends_on": household.probation_ends_on,
            "effective_on": timezone.localdate(),
        }

    def perform(self, form):
        data = form.cleaned_data
        services.terms_vary(
            household=self.household, by=self.request.user, reason=data["reason"],
            effective_on=data["effective_on"], terms=form.terms(),
        )  # fmt: skip
        return self.done(_("Approval terms changed."))


class DeapprovalReferView(HouseholdMixin, SchemeFormView):
    scheme_permission = "manage_carers"
    template_name = "carers/form.html"
    form_class = DeapprovalReferralForm
    extra_context = {"title": _("Refer to panel for de-approval")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "panels": selectors.upcoming_panels()}

    def perform(self, form):
        services.panel_add_household(
            panel=form.cleaned_data["panel"], household=self.household, by=self.request.user,
            assessment_report=form.cleaned_data["assessment_report"], purpose=PanelItem.Purpose.DEAPPROVAL,
        )  # fmt: skip
        return self.done(_("Referred to the panel for de-approval."))


class ComplianceView(SchemeView, TemplateView):
    scheme_permission = "view_records"
    template_name = "carers/compliance.html"

    def get_context_data(self, **kwargs):
        overview = selectors.compliance_overview()
        page = Paginator(overview, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page}


def _can_see_every_panel(membership: Membership) -> bool:
    return membership.has("manage_carers") or membership.has("approve_carers")


class PanelListView(SchemeView, TemplateView):
    scheme_permission = "view_panels"
    template_name = "carers/panel_list.html"

    def get_context_data(self, **kwargs):
        membership = self.request.membership
        panels = selectors.panels_for(user=self.request.user, can_see_all=_can_see_every_panel(membership))
        page = Paginator(panels, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page}


class PanelCreateView(SchemeFormView):
    scheme_permission = "manage_carers"
    template_name = "carers/form.html"
    form_class = PanelForm
    extra_context = {"title": _("Arrange a panel")}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "panel_members": staff_with_permission(scheme=self.request.current_scheme, permission="sit_on_panel"),
        }

    def perform(self, form):
        panel = services.panel_create(scheme=self.request.current_scheme, **form.cleaned_data)
        messages.success(self.request, _("Panel arranged."))
        return redirect(panel.get_absolute_url())


class PanelMixin:
    """A panel's papers are for its own members, and for the staff who run panels; anyone else gets 404."""

    def dispatch(self, request, *args, **kwargs):
        self.panel = get_object_or_404(Panel.objects.all(), pk=kwargs["pk"])
        is_member = self.panel.members.filter(pk=request.user.pk).exists()
        if not (is_member or _can_see_every_panel(request.membership)):
            raise Http404("Not a member of this panel")
        self.is_panel_member = is_member
        return super().dispatch(request, *args, **kwargs)


class PanelDetailView(PanelMixin, SchemeView, TemplateView):
    scheme_permission = "view_panels"
    template_name = "carers/panel_detail.html"

    def get_context_data(self, **kwargs):
        membership = self.request.membership
        return {
            **super().get_context_data(**kwargs),
            "panel": self.panel,
            "members": list(self.panel.members.all()),
            "items": selectors.panel_items(panel=self.panel),
            "is_panel_member": self.is_panel_member,
            "agenda_form": AgendaForm(households=selectors.ready_for_panel())
            if membership.has("manage_carers")
            else None,
        }


class PanelAgendaAddView(PanelMixin, SchemeFormView):
    scheme_permission = "manage_carers"
    template_name = "carers/form.html"
    form_class = AgendaForm
    extra_context = {"title": _("Put a household on the agenda")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "households": selectors.ready_for_panel()}

    def perform(self, form):
        services.panel_add_household(panel=self.panel, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Added to the agenda."))
        return redirect(self.panel.get_absolute_url())


class PanelItemMixin:
    members_only = False  # True: only members of this item's panel may open it (anyone else: 404)

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(PanelItem.objects.select_related("panel", "household"), pk=kwargs["pk"])
        if self.members_only and not self.item.panel.members.filter(pk=request.user.pk).exists():
            raise Http404("Not a member of this panel")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "item": self.item, "household": self.item.household}


class PanelRecommendView(PanelItemMixin, SchemeFormView):
    scheme_permission = "sit_on_panel"
    template_name = "carers/panel_item.html"
    form_class = RecommendForm
    extra_context = {"title": _("Panel recommendation")}
    members_only = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "purpose": self.item.purpose}

    def perform(self, form):
        services.panel_recommend(item=self.item, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Recommendation recorded."))
        return redirect(self.item.panel.get_absolute_url())


class PanelDecideView(PanelItemMixin, SchemeFormView):
    scheme_permission = "approve_carers"
    template_name = "carers/panel_item.html"
    form_class = DecisionForm
    extra_context = {"title": _("Decision")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": Person.objects.all(), "purpose": self.item.purpose}

    def get_initial(self):
        return {
            "decision": self.item.recommendation,
            "max_people": self.request.current_scheme.max_people_per_household,
        }

    def perform(self, form):
        data = form.cleaned_data
        services.panel_decide(
            item=self.item, by=self.request.user, decision=data["decision"], reason=data["reason"], terms=form.terms()
        )
        messages.success(self.request, _("Decision recorded."))
        return redirect(self.item.household.get_absolute_url())


class PanelAppealView(PanelItemMixin, SchemeFormView):
    scheme_permission = "approve_carers"
    template_name = "carers/panel_item.html"
    form_class = AppealForm
    extra_context = {"title": _("Record an appeal")}

    def perform(self, form):
        services.appeal_record(item=self.item, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Appeal recorded."))
        return redirect(self.item.household.get_absolute_url())


ENQUIRIES_PER_HOUR_FROM_ONE_ADDRESS = 5


class PublicEnquiryView(SchemeFormView):
    """'Become a Shared Lives carer': open to anyone, no sign-in. Robots fill the hidden field; floods are slowed."""

    scheme_permission = PUBLIC
    template_name = "carers/public_enquiry.html"
    form_class = PublicEnquiryForm

    def perform(self, form):
        data = dict(form.cleaned_data)
        thanks = redirect("carers:public_enquiry_thanks", scheme_slug=self.request.current_scheme.slug)
        if data.pop("website"):
            return thanks  # a robot: say thank you, keep nothing
        address = self.request.META.get("REMOTE_ADDR", "unknown")
        key = f"enquiry:{self.request.current_scheme.pk}:{address}"
        if not rate_limit_allows(key, limit=ENQUIRIES_PER_HOUR_FROM_ONE_ADDRESS, window_seconds=3600):
            form.add_error(
                None, _("We have had several enquiries from here in the last hour. Please phone us instead.")
            )
            return self.form_invalid(form)
        services.public_enquiry_receive(scheme=self.request.current_scheme, **data)
        return thanks


class PublicEnquiryThanksView(SchemeView, TemplateView):
    scheme_permission = PUBLIC
    template_name = "carers/public_enquiry_thanks.html"


# ---- the carer portal, from the scheme's side: invitations and evidence sent from phones ---------------------


class MemberLoad:
    """A carer of a household of this scheme (another scheme's is not found: 404)."""

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(Member.objects.select_related("household__scheme"), pk=kwargs["pk"])
        self.household = self.member.household
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "household": self.household}


class MemberInviteView(MemberLoad, SchemeFormView):
    scheme_permission = "manage_carers"
    template_name = "carers/form.html"
    form_class = InviteForm

    def get_context_data(self, **kwargs):
        title = _("Invite %(name)s to the carer portal") % {"name": self.member.full_name}
        return {**super().get_context_data(**kwargs), "title": title}

    def perform(self, form):
        services.carer_invite(member=self.member, email=form.cleaned_data["email"], by=self.request.user,
                              base_url=self.request.build_absolute_uri("/").rstrip("/"))  # fmt: skip
        messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect(self.household.get_absolute_url())


class MemberAccessEndView(MemberLoad, SchemeView, View):
    scheme_permission = "manage_carers"

    def post(self, request, *args, **kwargs):
        act_and_tell(request, lambda: services.carer_access_end(member=self.member, by=request.user),
                     done=_("Portal access ended."))  # fmt: skip
        return redirect(self.household.get_absolute_url())


class UploadLoad:
    def dispatch(self, request, *args, **kwargs):
        self.upload = get_object_or_404(RenewalUpload.objects.select_related("household", "member"), pk=kwargs["pk"])
        self.household = self.upload.household
        return super().dispatch(request, *args, **kwargs)


class UploadEvidenceView(UploadLoad, SchemeView, View):
    scheme_permission = "view_records"

    def get(self, request, *args, **kwargs):
        upload = self.upload
        audit_record(user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.DOWNLOADED,
                     obj=self.household, what=f"evidence sent by the carer: {upload.get_kind_display()}",
                     description=upload.evidence_name)  # fmt: skip
        return FileResponse(upload.evidence.open("rb"), as_attachment=True, filename=upload.evidence_name,
                            content_type=upload.evidence_type)  # fmt: skip


class UploadAcceptView(UploadLoad, SchemeFormView):
    scheme_permission = "manage_carers"
    template_name = "carers/form.html"
    form_class = UploadAcceptForm

    def get_context_data(self, **kwargs):
        title = _("Record the check from %(what)s") % {"what": self.upload}
        return {**super().get_context_data(**kwargs), "title": title, "household": self.household}

    def perform(self, form):
        services.renewal_upload_accept(upload=self.upload, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Recorded."))
        return redirect(self.household.get_absolute_url())


class UploadReturnView(UploadLoad, SchemeFormView):
    scheme_permission = "manage_carers"
    template_name = "carers/form.html"
    form_class = ReasonForm

    def get_context_data(self, **kwargs):
        title = _("Send back %(what)s") % {"what": self.upload}
        return {**super().get_context_data(**kwargs), "title": title, "household": self.household}

    def perform(self, form):
        services.renewal_upload_return(upload=self.upload, by=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("Sent back; the carer has been told why."))
        return redirect(self.household.get_absolute_url())
