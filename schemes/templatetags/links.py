"""A template builtin (settings: TEMPLATES' "builtins"): `{% url %}` through `schemes.links.reverse`, which
remembers the shape of each link instead of working it out for every row of a list."""

from django.template import Library

from schemes.links import url_tag

register = Library()
register.tag("url", url_tag)
