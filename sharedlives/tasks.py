"""Project-level jobs that gather from every app: the monthly manager report."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_scopes import scope

from schemes.email import email_send
from schemes.i18n import email_languages, later
from schemes.models import Scheme, User
from schemes.permissions import Role

from .reports.periods import ReportPeriod
from .reports.views import render_report


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1860)
def monthly_manager_report() -> int:
    """On the 1st at 06:00: last month's scheme overview, one job per scheme (ids in, each safe to run again)."""
    ids = list(Scheme.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    for scheme_id in ids:
        monthly_report_for_scheme.delay(scheme_id)
    return len(ids)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=5, acks_late=True,
             soft_time_limit=600, time_limit=660)  # fmt: skip
def monthly_report_for_scheme(scheme_id: int) -> int:
    """Email last month's overview PDF to the scheme's registered managers who take emails. Returns how many."""
    scheme = Scheme.objects.get(pk=scheme_id)
    managers = list(
        User.objects.filter(memberships__scheme=scheme, memberships__role=Role.REGISTERED_MANAGER,
                            memberships__is_active=True, is_active=True)
        .exclude(email_choice=User.EmailChoice.NONE)
    )  # fmt: skip
    if not managers:
        return 0
    today = timezone.localdate()
    period = ReportPeriod.last_month(today)
    wanted = {m.pk: email_languages(scheme, m) for m in managers}  # Welsh and English both, in a Welsh scheme
    pdfs = {}
    with scope(scheme=scheme):
        for language in dict.fromkeys(lang for langs in wanted.values() for lang in langs):
            with translation.override(language):
                pdfs[language] = render_report(name="overview", scheme=scheme, period=period, today=today)
    for manager in managers:
        email_send(
            to=manager.email, languages=wanted[manager.pk], html=False, template="reports/monthly_email",
            context={"scheme": scheme, "period": period},
            subject=later(gettext_lazy("%(scheme)s: the overview for %(period)s"), scheme=scheme.name,
                          period=lambda: period.label),
            attachments=[(f"overview-{period.first:%Y-%m}{'' if lang == 'en-gb' else '-' + lang}.pdf", pdfs[lang],
                          "application/pdf") for lang in wanted[manager.pk]],
        )  # fmt: skip
    return len(managers)


@shared_task(acks_late=True, soft_time_limit=900, time_limit=960)
def make_report_file(file_id: int) -> str:
    """Make a report in the background (ids in; a second run of a finished one does nothing)."""
    from django.core.files.base import ContentFile
    from django_scopes import scopes_disabled

    from .models import ReportFile

    with scopes_disabled():
        report = ReportFile.objects.select_related("scheme").get(pk=file_id)
        if report.status == ReportFile.Status.READY:
            return report.status
        ReportFile.objects.filter(pk=file_id).update(status=ReportFile.Status.WORKING, progress=10)
        period = ReportPeriod(report.period_kind, report.period_first)
        today = timezone.localdate()
        with translation.override(report.language or settings.LANGUAGE_CODE):
            try:
                if report.scheme is None:  # the whole network: every scheme's figures together
                    pdf = render_report(name=report.name, scheme=None, period=period, today=today)
                else:
                    with scope(scheme=report.scheme):
                        ReportFile.objects.filter(pk=file_id).update(progress=40)
                        pdf = render_report(name=report.name, scheme=report.scheme, period=period, today=today)
                ReportFile.objects.filter(pk=file_id).update(progress=90)
                report.file.save(ReportFile.storage_name(report.name), ContentFile(pdf), save=False)
                ReportFile.objects.filter(pk=file_id).update(file=report.file.name, status=ReportFile.Status.READY,
                                                             progress=100)  # fmt: skip
            except Exception as error:
                ReportFile.objects.filter(pk=file_id).update(status=ReportFile.Status.FAILED, error=str(error)[:500])
                raise
    return ReportFile.Status.READY


@shared_task(acks_late=True)
def delete_old_report_files() -> int:
    """Daily: report files are kept 7 days, then deleted with their row."""
    from datetime import timedelta

    from django_scopes import scopes_disabled

    from .models import KEEP_DAYS, ReportFile

    with scopes_disabled():
        old = list(ReportFile.objects.filter(created_at__lt=timezone.now() - timedelta(days=KEEP_DAYS)))
        for report in old:
            if report.file:
                report.file.delete(save=False)
            report.delete()
    return len(old)
