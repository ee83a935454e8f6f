from django.urls import path

from . import views

app_name = "schemes"

urlpatterns = [
    path("settings/", views.SchemeSettingsView.as_view(), name="settings"),
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/add/", views.StaffAddView.as_view(), name="staff_add"),
    path("staff/<int:pk>/", views.MembershipEditView.as_view(), name="membership_edit"),
    path("staff/<int:pk>/unlock/", views.MemberUnlockView.as_view(), name="member_unlock"),
    path("staff/<int:pk>/two-step-reset/", views.MemberTwoFactorResetView.as_view(), name="member_two_factor_reset"),
    path("audit/", views.AuditTrailView.as_view(), name="audit"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
    path("outbox/<int:pk>/retry/", views.OutboxRetryView.as_view(), name="outbox_retry"),
    path("notifications/email/", views.EmailChoiceView.as_view(), name="email_choice"),
    path("notifications/read/", views.NotificationsReadView.as_view(), name="notifications_read"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/add/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("people/<int:pk>/subject-access/", views.SubjectAccessView.as_view(), name="subject_access"),
    path("people/<int:pk>/places/add/", views.PlaceAddView.as_view(), name="place_add"),
]
