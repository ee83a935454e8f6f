"""A site of two links for tests/test_links.py: numbers in the link in another order than the view's arguments."""

from django.http import HttpResponse
from django.urls import path


def page(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("visits/<int:second>/of/<int:first>/", page, name="two"),
    path("<slug:scheme_slug>/carers/<int:pk>/", page, name="household"),
    path("elsewhere/", page, name="home"),  # the real site's home is "/"
]
