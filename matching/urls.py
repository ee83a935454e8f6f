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
