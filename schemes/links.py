"""Links to pages, worked out once per shape of link.

Django's `reverse` costs about 80 microseconds here: it looks the language up three times (each through a
context-local) and then tries the view's patterns one by one. A list page asks it once for each row's link and the
menu's, 20 to 50 times a page. Every row's link has the same shape, say `/s/<scheme>/carers/<pk>/`, so `reverse`
here reverses each shape once, with a stand-in number for every whole number in it, and writes the real numbers
in afterwards (a link with no numbers in it is simply remembered): about 20 microseconds. Anything it cannot do so
(a pattern the stand-in does not fit, a stand-in not found exactly once, a shape that does not give Django's link
for small numbers too, as a converter that pads numbers would not, an argument that cannot be a key) goes to
Django's `reverse` as before. The result is the same string as Django's (tests/test_links.py tries every named page
of the site).

`{% url %}` in every template uses it too (`schemes/templatetags/links.py`, a template builtin, settings).
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

# A number no real key will have, long enough not to occur by chance in a scheme's slug or the script prefix.
STAND_IN = 982_451_653_710_000


def _is_number(value) -> bool:
    return type(value) is int and value >= 0  # not a bool, not a negative (which a path's int would refuse)


_NUMBER = object()  # where a whole number goes, in a shape's key


def _marked(args: tuple, kwargs: tuple, first: int) -> tuple[list, dict]:
    """The arguments with numbers first, first + 1, ... where a key has `_NUMBER`."""
    numbers = iter(range(first, first + len(args) + len(kwargs)))
    return ([next(numbers) if value is _NUMBER else value for value in args],
            {key: next(numbers) if value is _NUMBER else value for key, value in kwargs})  # fmt: skip


def _assemble(shape: tuple, numbers: list) -> str:
    pieces, order = shape
    out = [pieces[0]]
    for n, after in zip(order, pieces[1:], strict=True):
        out += [str(numbers[n]), after]
    return "".join(out)


@lru_cache(maxsize=1024)
def _shape(viewname: str, args: tuple, kwargs: tuple, current_app, prefix: str, urlconf) -> tuple | None:
    """The link cut where its numbers go: (the pieces between them, which number goes in each gap, counting the
    numbers of args then kwargs), or None if this shape cannot be worked out with stand-ins. `prefix` and `urlconf`
    are in the key only: `reverse` reads them itself."""

    def django(first: int) -> tuple[str, list]:
        marked_args, marked_kwargs = _marked(args, kwargs, first)
        url = django_reverse(viewname, args=marked_args or None, kwargs=marked_kwargs or None, current_app=current_app)
        return url, [value for value in [*marked_args, *marked_kwargs.values()] if _is_number(value)]

    try:
        url, numbers = django(STAND_IN)
    except NoReverseMatch:
        return None
    written = [str(number) for number in numbers]
    if any(url.count(number) != 1 for number in written):
        return None
    gaps = sorted((url.index(number), n) for n, number in enumerate(written))
    pieces, start = [], 0
    for at, n in gaps:
        pieces.append(url[start:at])
        start = at + len(written[n])
    pieces.append(url[start:])
    shape = tuple(pieces), tuple(n for _at, n in gaps)
    # The same shape must give Django's link for small numbers too (a converter that wrote 7 as "0007" would not).
    try:
        small_url, small = django(1)
    except NoReverseMatch:
        return None
    return shape if _assemble(shape, small) == small_url else None


@receiver(setting_changed)
def forget_shapes(*, setting, **kwargs) -> None:
    """A test that swaps the site's URLs (ROOT_URLCONF) forgets the shapes of the old ones, as Django's caches do."""
    if setting == "ROOT_URLCONF":
        _shape.cache_clear()


def reverse(viewname, args=None, kwargs=None, current_app=None) -> str:
    """`django.urls.reverse` for a view's name, with the shape of the link remembered."""
    args, kwargs = args or (), kwargs or {}
    try:
        shape = _shape(
            viewname,
            tuple(_NUMBER if _is_number(value) else value for value in args),
            tuple((key, _NUMBER if _is_number(value) else value) for key, value in kwargs.items()),
            current_app,
            get_script_prefix(),
            get_urlconf(),
        )
    except TypeError:  # something unhashable among the arguments
        shape = None
    if shape is None:
        return django_reverse(viewname, args=list(args) or None, kwargs=kwargs or None, current_app=current_app)
    return _assemble(shape, [value for value in [*args, *kwargs.values()] if _is_number(value)])
