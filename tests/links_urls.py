"""A site of a few links for tests/test_links.py: numbers in another order than the view's arguments, a page named
as one of ours, and a converter that pads its numbers."""

from django.http import HttpResponse
from django.urls import path, register_converter


class Padded:
    """A number written with four digits at least: a shape taken with a long stand-in would leave the zeros out."""

    regex = "[0-9]+"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


register_converter(Padded, "padded")


def page(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("visits/<int:second>/of/<int:first>/", page, name="two"),
    path("<slug:scheme_slug>/carers/<int:pk>/", page, name="household"),
    path("elsewhere/", page, name="home"),
    path("padded/<padded:n>/", page, name="padded"),  # the real site's home is "/"
]
