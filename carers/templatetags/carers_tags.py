"""{% status_badge style label %}: a check's or a household's status as a coloured badge. A tag rather than an included
template, since the carers board and the compliance list draw one per row and an include costs a template render."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_badge(style: str, label: str) -> str:
    return format_html('<span class="badge status-badge text-bg-{}">{}</span>', style, label)
