"""A template builtin (settings: TEMPLATES' "builtins"): `{% url %}` through `schemes.links.reverse`, which
remembers the shape of each link instead of working it out for every row of a list."""

from django.template import Library, defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from schemes.links import reverse

register = Library()


class URLNode(defaulttags.URLNode):
    """Django's `{% url %}` through `schemes.links.reverse`; otherwise Django's own (its `render`, with that call)."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag("url")
def url_tag(parser, token) -> URLNode:
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
