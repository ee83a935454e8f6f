"""Links are worked out once per shape (schemes/links.py), by `reverse` in code and `{% url %}` in every template:
each must be exactly the link Django's own `reverse` gives, for every named page there is."""

import itertools
import re

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, set_script_prefix
from django.urls import reverse as django_reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from schemes import links


def named_pages(patterns=None, namespace=""):
    """(name, {argument: converter}) for every named page of the site (but Django's admin, whose patterns are
    regular expressions: links.reverse leaves nothing to them that it does not leave to Django)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(entry.pattern, RoutePattern) and entry.pattern.regex.groups:
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            prefix = getattr(entry.pattern, "converters", {})
            for name, converters in named_pages(entry.url_patterns, inner):
                yield name, {**prefix, **converters}
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", getattr(entry.pattern, "converters", {})


def arguments(converters: dict, number: int, *, numbers_everywhere: bool) -> dict:
    """Values for a page's link: a number for each whole-number argument and a word for the rest, or a number for
    every argument whose converter takes digits (a slug can be "7"; a converter of our own would be tried so)."""

    def takes_a_number(converter) -> bool:
        return isinstance(converter, IntConverter) or (numbers_everywhere and re.fullmatch(converter.regex, "7"))

    return {name: number if takes_a_number(c) else f"scheme-{number}" for name, c in converters.items()}


PAGES = sorted(set((name, tuple(c.items())) for name, c in named_pages()), key=str)


@pytest.fixture
def prefix():
    """Back to the site's root after a test that moves it (as a request under another SCRIPT_NAME would)."""
    yield
    set_script_prefix("/")


def test_the_site_has_pages_with_and_without_numbers():
    assert len(PAGES) > 100
    assert any(any(isinstance(c, IntConverter) for _name, c in converters) for _page, converters in PAGES)
    assert any(not converters for _page, converters in PAGES)


@pytest.mark.parametrize("script_prefix", ["/", "/sharedlives/"])
def test_every_page_link_is_the_one_django_gives(prefix, script_prefix):
    set_script_prefix(script_prefix)
    for (name, converters), everywhere in itertools.product(PAGES, (False, True)):
        for number in (0, 7, 12345, 10**12):
            kwargs = arguments(dict(converters), number, numbers_everywhere=everywhere)
            expected = django_reverse(name, kwargs=kwargs or None)
            assert links.reverse(name, kwargs=kwargs or None) == expected, name
            assert links.reverse(name, args=list(kwargs.values()) or None) == expected, name
            assert expected.startswith(script_prefix)


def same(name, **arguments) -> None:
    """links.reverse gives what Django's reverse gives, a link or a NoReverseMatch."""
    try:
        expected = django_reverse(name, **arguments)
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            links.reverse(name, **arguments)
    else:
        assert links.reverse(name, **arguments) == expected


def test_numbers_go_where_the_pattern_puts_them_whatever_order_they_come_in():
    assert links.reverse("home") == "/"
    with override_settings(ROOT_URLCONF="tests.links_urls"):
        another_site()
    assert links.reverse("home") == "/"


def another_site():
    assert links.reverse("two", kwargs={"first": 1, "second": 22}) == "/visits/22/of/1/"
    assert links.reverse("two", kwargs={"second": 5, "first": 333}) == "/visits/5/of/333/"
    assert links.reverse("two", args=[4, 66]) == "/visits/4/of/66/"
    assert links.reverse("household", kwargs={"scheme_slug": "riverside", "pk": 8}) == "/riverside/carers/8/"
    assert links.reverse("home") == "/elsewhere/"  # another site's URLs: not the shape remembered from ours
    assert links.reverse("padded", kwargs={"n": 5}) == "/padded/0005/" == django_reverse("padded", kwargs={"n": 5})


def test_what_cannot_be_worked_out_by_shape_is_left_to_django():
    # a negative number, True (an int to Python), a number as a string, a slug holding the stand-in itself
    for slug, pk in (("riverside", -1), ("riverside", True), ("riverside", "42"), (str(links.STAND_IN), 3)):
        same("carers:household_detail", kwargs={"scheme_slug": slug, "pk": pk})
        same("carers:household_detail", args=[slug, pk])
    # an unhashable argument (a list) is not remembered, just reversed
    same("dashboard", args=[["riverside"]])


def test_the_url_tag_in_templates_is_this_one_and_behaves_as_djangos():
    template = engines["django"].from_string(
        "{% url 'carers:household_detail' slug pk %}|{% url 'home' as home %}[{{ home }}]"
        "|{% url 'no-such-page' as nothing %}[{{ nothing }}]"
    )
    assert template.render({"slug": "riverside", "pk": 9}) == "/s/riverside/carers/9/|[/]|[]"
    assert links._shape.cache_info().currsize > 0
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'no-such-page' %}").render({})
