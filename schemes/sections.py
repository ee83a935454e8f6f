"""Sections that later apps add to pages owned by earlier ones, so imports still point one way.

`schemes` and `carers` own the person and household pages; `matching` (and later `outcomes`) add what they know
about that person or household by registering a function here in their AppConfig.ready(). A section function takes
the request and the object and returns None (nothing to show, or no permission) or a dict with a "template" key and
whatever that template needs. Each function should cost at most one query.
"""

from collections import defaultdict
from collections.abc import Callable

_sections: dict[str, list[Callable]] = defaultdict(list)


def register(page: str, function: Callable) -> None:
    if function not in _sections[page]:
        _sections[page].append(function)


def render_sections(page: str, *, request, obj) -> list[dict]:
    """The sections for one page, in the order the apps registered them."""
    return [section for function in _sections[page] if (section := function(request, obj)) is not None]
