from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("outcomes/", views.ResultsView.as_view(), name="results"),
    path("outcomes/due/", views.SurveysDueView.as_view(), name="surveys_due"),
    path("outcomes/links/", views.SurveyCreateView.as_view(), name="survey_create"),
    path("outcomes/people/<int:pk>/", views.PersonResultsView.as_view(), name="person_results"),
]

# The survey itself: a private link, no sign-in and nothing about the person in the address.
survey_patterns = [
    path("my-shared-life/<str:token>/", views.SurveyStepView.as_view(), name="survey_start"),
    path("my-shared-life/<str:token>/<str:step>/", views.SurveyStepView.as_view(), name="survey_step"),
]
