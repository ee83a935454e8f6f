from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.HomeView.as_view(), name="home"),
    path("portal/people/<int:pk>/", views.PersonView.as_view(), name="person"),
    path("portal/people/<int:pk>/survey/", views.SurveyWithPersonView.as_view(), name="survey"),
    path("portal/calendar/", views.CalendarView.as_view(), name="calendar"),
    path("portal/calendar/away/", views.AwayView.as_view(), name="away"),
    path("portal/bookings/<int:pk>/accept/", views.BookingAcceptView.as_view(), name="booking_accept"),
    path("portal/bookings/<int:pk>/decline/", views.BookingDeclineView.as_view(), name="booking_decline"),
    path("portal/bookings/<int:pk>/timesheet/", views.TimesheetSendView.as_view(), name="timesheet_send"),
    path("portal/timesheets/", views.TimesheetListView.as_view(), name="timesheets"),
    path("portal/renewals/", views.RenewalsView.as_view(), name="renewals"),
    path("portal/renewals/send/", views.UploadView.as_view(), name="upload"),
    path("portal/payments/", views.PaymentsView.as_view(), name="payments"),
    path("portal/payments/<int:pk>/statement.pdf", views.StatementPdfView.as_view(), name="statement"),
    path("portal/concern/", views.ConcernView.as_view(), name="concern"),
    path("portal/settings/", views.SettingsView.as_view(), name="settings"),
    path("portal/messages/read/", views.MessagesReadView.as_view(), name="messages_read"),
]
