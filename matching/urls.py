from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("matching/", views.ReferralBoardView.as_view(), name="board"),
    path("referrals/add/", views.ReferralCreateView.as_view(), name="referral_create"),
    path("referrals/<int:pk>/", views.ReferralDetailView.as_view(), name="referral_detail"),
    path("referrals/<int:pk>/status/", views.ReferralStatusView.as_view(), name="referral_status"),
    path("referrals/<int:pk>/propose/", views.MatchProposeView.as_view(), name="match_propose"),
    path("matches/<int:pk>/", views.MatchDetailView.as_view(), name="match_detail"),
    path("matches/<int:pk>/step/", views.MatchStepView.as_view(), name="match_step"),
    path("matches/<int:pk>/profile/", views.AnonymisedProfileView.as_view(), name="match_profile"),
]

urlpatterns += [
    path("arrangements/", views.ArrangementListView.as_view(), name="arrangement_list"),
    path("arrangements/start/", views.ArrangementStartView.as_view(), name="arrangement_start"),
    path("arrangements/<int:pk>/", views.ArrangementDetailView.as_view(), name="arrangement_detail"),
    path("arrangements/<int:pk>/end/", views.ArrangementEndView.as_view(), name="arrangement_end"),
    path("arrangements/<int:pk>/letter.pdf", views.ArrangementLetterView.as_view(), name="arrangement_letter"),
    path("arrangements/<int:pk>/book/", views.BookingCreateView.as_view(), name="booking_create"),
    path("bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="booking_cancel"),
    path("calendar/households/<int:pk>/", views.CalendarView.as_view(of="household"), name="household_calendar"),
    path("calendar/people/<int:pk>/", views.CalendarView.as_view(of="person"), name="person_calendar"),
    path("calendar/households/<int:pk>/away/", views.UnavailabilityAddView.as_view(), name="unavailability_add"),
    path("visits/", views.VisitsDueView.as_view(), name="visits_due"),
    path("visits/<int:pk>/", views.VisitRecordView.as_view(), name="visit_record"),
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/add/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/edit/", views.IncidentUpdateView.as_view(), name="incident_update"),
    path("incidents/<int:pk>/actions/", views.IncidentActionAddView.as_view(), name="incident_action_add"),
    path("incidents/<int:pk>/close/", views.IncidentCloseView.as_view(), name="incident_close"),
    path("incident-actions/<int:pk>/done/", views.IncidentActionDoneView.as_view(), name="incident_action_done"),
    path("money/fees/", views.FeesView.as_view(), name="fees"),
    path("money/fees/bands/add/", views.FeeBandAddView.as_view(), name="fee_band_add"),
    path("money/", views.PaymentRunListView.as_view(), name="payment_runs"),
    path("money/<int:pk>/", views.PaymentRunView.as_view(), name="payment_run"),
    path("money/<int:pk>/approve/", views.PaymentRunApproveView.as_view(), name="payment_run_approve"),
    path(
        "money/<int:pk>/statements.csv",
        views.PaymentRunCSVView.as_view(which="statements"),
        name="payment_statements_csv",
    ),
    path("money/<int:pk>/invoices.csv", views.PaymentRunCSVView.as_view(which="invoices"), name="payment_invoices_csv"),
    path("timesheets/", views.TimesheetListView.as_view(), name="timesheets"),
    path("timesheets/<int:pk>/approve/", views.TimesheetApproveView.as_view(), name="timesheet_approve"),
    path("timesheets/<int:pk>/return/", views.TimesheetReturnView.as_view(), name="timesheet_return"),
]
