from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from outcomes import views as outcome_views
from outcomes.urls import survey_patterns
from schemes import account_views
from schemes.forms import SignInForm
from sharedlives.reports import views as report_views

from . import views

scheme_patterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("", include("schemes.urls")),
    path("", include("carers.urls")),
    path("", include("matching.urls")),
    path("", include("outcomes.urls")),
    path("", include("sharedlives.portal.urls")),
    path("", include("sharedlives.reports.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("network/", views.network, name="network"),
    path("network/outcomes/", outcome_views.network_results, name="network_outcomes"),
    path("network/reports/", report_views.network_report_request, name="network_report_request"),
    path("network/reports/<int:pk>/", report_views.NetworkReportView.as_view(), name="network_report"),
    path(
        "network/reports/<int:pk>/download/",
        report_views.NetworkReportDownloadView.as_view(),
        name="network_report_download",
    ),
    *survey_patterns,
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/two-factor/", account_views.TwoFactorView.as_view(), name="two_factor"),
    path(
        "accounts/two-factor/backup-codes/",
        account_views.BackupCodesView.as_view(),
        name="two_factor_backup_codes",
    ),
    path("language/", account_views.language_set, name="language_set"),
    path("accounts/security/", account_views.AccountSecurityView.as_view(), name="account_security"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("s/<slug:scheme_slug>/", include(scheme_patterns)),
]

admin.site.site_header = "Shared Lives administration"
