"""Manager reports as PDFs: each gathers the sections the apps provide (carers, matching, outcomes) for a period."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django_scopes import scopes_disabled

from carers import reports as carer_reports
from matching import reports as matching_reports
from outcomes import selectors as outcome_selectors
from schemes.audit import audit_record
from schemes.i18n import chosen_language
from schemes.models import AuditEvent
from schemes.pdf import render_pdf
from schemes.views import SchemeView

from ..models import KEEP_DAYS, ReportFile
from .periods import KINDS, ReportPeriod

REPORTS = {
    "overview": _("Scheme overview"),
    "compliance": _("Compliance: checks, training, reviews and visits"),
    "outcomes": _("Outcomes: My Shared Life"),
    "money": _("Money: carers' payments and invoices"),
    "inspection": _("Inspection pack: the evidence for the regulator's five questions"),
}


def report_context(*, name: str, scheme, period: ReportPeriod, today) -> dict:
    """What one report shows: its sections, read inside the scheme's scope (also used by the monthly email job)."""
    context = {"scheme": scheme, "period": period, "title": REPORTS[name], "name": name}
    if name == "overview":
        context |= {"recruitment": carer_reports.recruitment(first=period.first, last=period.last),
                    "activity": matching_reports.activity(first=period.first, last=period.last),
                    "places": matching_reports.free_places(today=today)}  # fmt: skip
    elif name == "compliance":
        context |= {"compliance": carer_reports.compliance(today=today),
                    "overdue_visits": matching_reports.overdue_visits(today=today)}  # fmt: skip
    elif name == "outcomes":
        results = outcome_selectors.results_between(first=period.first, last=period.last)
        context |= {"results": results, "chart": outcome_selectors.chart(results["rows"]),
                    "smallest": outcome_selectors.SMALLEST_GROUP}  # fmt: skip
    elif name == "money":
        context |= {
            "money": matching_reports.money(first=period.first, last=period.last),
            "costs": matching_reports.cost_comparison(scheme=scheme, first=period.first, last=period.last),
        }
    elif name == "inspection":
        first, last = period.first, period.last
        outcomes = outcome_selectors.results_between(first=first, last=last)
        context |= {
            "compliance": carer_reports.compliance(today=today),
            "safety": matching_reports.safety(first=first, last=last),
            "visits": matching_reports.visits_record(first=first, last=last),
            "overdue_visits": matching_reports.overdue_visits(today=today),
            "outcomes": {row["area"]: row for row in outcomes["rows"]}, "response": outcomes["response"],
            "activity": matching_reports.activity(first=first, last=last),
            "governance": carer_reports.governance(first=first, last=last),
            "audit": audit_summary(first=first, last=last),
        }  # fmt: skip
    return context


def audit_summary(*, first, last) -> dict:
    """Well-led: how much the audit trail recorded in the period (views, changes, downloads, refusals)."""
    events = AuditEvent.objects.filter(at__date__gte=first, at__date__lte=last)
    return dict(events.values_list("action").annotate(n=Count("pk")).order_by())


def render_report(*, name: str, scheme, period: ReportPeriod, today, request=None) -> bytes:
    context = report_context(name=name, scheme=scheme, period=period, today=today)
    return render_pdf(f"reports/{name}.html", context, request=request)


class ReportsView(SchemeView, TemplateView):
    scheme_permission = "view_reports"
    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        last = ReportPeriod.last_month(today)
        return {**super().get_context_data(**kwargs), "reports": REPORTS.items(), "kinds": KINDS,
                "default_start": f"{last.first:%Y-%m}", "languages": settings.LANGUAGES}  # fmt: skip


class ReportPdfView(SchemeView, View):
    scheme_permission = "view_reports"

    def get(self, request, *args, **kwargs):
        name = request.GET.get("report", "overview")
        if name not in REPORTS:
            raise Http404("No such report")
        today = timezone.localdate()
        period = ReportPeriod.parse(request.GET.get("period", ""), request.GET.get("start", ""), today=today)
        language = chosen_language(request)
        if period.kind == "year":  # a year's report is made in the background, with its progress shown
            report = report_file_request(scheme=request.current_scheme, user=request.user, name=name, period=period,
                                         language=language)  # fmt: skip
            return redirect("reports:file", scheme_slug=request.current_scheme.slug, pk=report.pk)
        with translation.override(language):
            pdf = render_report(name=name, scheme=request.current_scheme, period=period, today=today,
                                request=request)  # fmt: skip
        audit_record(user=request.user, scheme=request.current_scheme, action=AuditEvent.Action.DOWNLOADED,
                     what="report", description=f"{REPORTS[name]}, {period.label}")  # fmt: skip
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}-{period.first:%Y-%m}-{period.kind}.pdf"'
        return response


def report_file_request(*, scheme, user, name: str, period: ReportPeriod, language: str = "") -> ReportFile:
    report = ReportFile.objects.create(scheme=scheme, requested_by=user, name=name, period_kind=period.kind,
                                       period_first=period.first,
                                       language=language or translation.get_language())  # fmt: skip
    from ..tasks import make_report_file  # the task module renders through this one

    transaction.on_commit(lambda: make_report_file.delay(report.pk))
    return report


class ReportFileMixin:
    """A background report of this scheme (another scheme's is not found), or of the network for network viewers
    (only their own)."""

    network = False

    def dispatch(self, request, *args, **kwargs):
        if self.network:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_network_viewer:
                raise PermissionDenied("Only network viewers see pooled figures")
            with scopes_disabled():
                self.report = get_object_or_404(ReportFile, pk=kwargs["pk"], scheme=None, requested_by=request.user)
        else:
            self.report = get_object_or_404(ReportFile, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def download_url(self) -> str:
        if self.network:
            return reverse("network_report_download", args=[self.report.pk])
        return reverse("reports:file_download", args=[self.request.current_scheme.slug, self.report.pk])


class ReportFileView(ReportFileMixin, SchemeView, TemplateView):
    """How a background report is getting on; a small script (static, no inline code) refreshes the bar."""

    scheme_permission = "view_reports"
    template_name = "reports/file.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "json":
            r = self.report
            ready = r.status == ReportFile.Status.READY
            return JsonResponse({"status": r.status, "progress": r.progress, "label": r.get_status_display(),
                                 "download": self.download_url() if ready else ""})  # fmt: skip
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "report": self.report, "title": REPORTS[self.report.name],
                "period": ReportPeriod(self.report.period_kind, self.report.period_first),
                "download": self.download_url(), "keep_days": KEEP_DAYS}  # fmt: skip


class ReportFileDownloadView(ReportFileMixin, SchemeView, View):
    scheme_permission = "view_reports"

    def get(self, request, *args, **kwargs):
        report = self.report
        if report.status != ReportFile.Status.READY:
            raise Http404("Not ready")
        described = f"{REPORTS[report.name]}, {report.period_kind} from {report.period_first:%B %Y}"
        audit_record(user=request.user, scheme=report.scheme, action=AuditEvent.Action.DOWNLOADED,
                     what="report", obj=report, description=described)  # fmt: skip
        filename = f"{report.name}-{report.period_first:%Y-%m}-{report.period_kind}.pdf"
        return FileResponse(report.file.open("rb"), as_attachment=True, filename=filename,
                            content_type="application/pdf")  # fmt: skip


class NetworkReportView(ReportFileView):
    network = True
    scheme_permission = ""


class NetworkReportDownloadView(ReportFileDownloadView):
    network = True
    scheme_permission = ""


@login_required
def network_report_request(request):
    """The whole network's overview for a year (network viewers): made in the background."""
    if not request.user.is_network_viewer:
        raise PermissionDenied("Only network viewers see pooled figures")
    if request.method != "POST":
        return redirect("network")
    period = ReportPeriod.parse("year", request.POST.get("start", ""), today=timezone.localdate())
    report = report_file_request(scheme=None, user=request.user, name="overview", period=period)
    return redirect("network_report", pk=report.pk)
