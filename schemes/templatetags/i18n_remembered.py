"""Django's i18n tags, loaded by `{% load i18n %}` in every template (settings: TEMPLATES' "libraries" names this
module "i18n"), with `{% translate "…" %}` remembering what it gave in each language.

Django's `{% translate %}` costs about 70 Python calls each time: it builds a lazy translation of the words, resolves
it as a variable, looks the active language up through a context-local, and localises and escapes the result. A page
has 25 of them on average. For a plain one (words in quotes, no filter, `as`, `context` or `noop`) the result depends
only on the language of the page, so each tag works it out once per language with Django's own code and gives the
same string from then on. Anything else is Django's tag unchanged. tests/test_translate_tag.py compares them.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Library
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

register = Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

# Bumped when the languages or their catalogues may change (a test's override_settings), as Django empties its own
# translation caches then: what a tag remembered before is not used again.
_catalogues = {"generation": 0}


@receiver(setting_changed)
def forget_translations(*, setting, **kwargs) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"):
        _catalogues["generation"] += 1


class TranslateNode(django_i18n.TranslateNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.remembered: dict[tuple, str] = {}

    def render(self, context):
        key = (_catalogues["generation"], get_language())
        try:
            return self.remembered[key]
        except KeyError:
            value = self.remembered[key] = super().render(context)
            return value


def is_plain(node: django_i18n.TranslateNode) -> bool:
    """Words in quotes and nothing else: what it gives depends on nothing but the language."""
    expression = node.filter_expression
    return (not node.noop and node.asvar is None and node.message_context is None and not expression.filters
            and isinstance(getattr(expression.var, "literal", None), str))  # fmt: skip


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    if not is_plain(node):
        return node
    return TranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
