from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.ReportsView.as_view(), name="index"),
    path("reports/download/", views.ReportPdfView.as_view(), name="pdf"),
    path("reports/files/<int:pk>/", views.ReportFileView.as_view(), name="file"),
    path("reports/files/<int:pk>/download/", views.ReportFileDownloadView.as_view(), name="file_download"),
]
