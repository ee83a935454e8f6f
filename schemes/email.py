"""Every email the app sends goes through `email_send`: plain words, a text part and (usually) an HTML part, in the
languages `schemes.i18n.email_languages` gives — one, or Welsh then English in the same email for a scheme that
sends bilingual emails (the usual in Wales, where Welsh must not be treated less favourably than English)."""

import re
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from .i18n import Text

Context = dict | Callable[[str], dict]
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
BETWEEN_LANGUAGES = "\n\n— — — — —\n\n"


def email_render(*, languages: list[str], subject: Text, template: str, context: Context, html: bool = True):
    """(subject, text, html or None), each holding every language in order."""
    parts = []
    for language in languages:
        with translation.override(language):
            ctx = {**(context(language) if callable(context) else context), "site_url": settings.SITE_URL}
            parts.append((
                language,
                str(subject() if callable(subject) else subject),
                render_to_string(f"{template}.txt", ctx),
                render_to_string(f"{template}.html", ctx) if html else None,
            ))  # fmt: skip
    if len(parts) == 1:
        return parts[0][1:]
    joined_subject = " / ".join(dict.fromkeys(p[1] for p in parts))
    text = BETWEEN_LANGUAGES.join(p[2].strip() for p in parts) + "\n"
    if not html:
        return joined_subject, text, None
    sections = "<hr>".join(
        f'<div lang="{language}">{_BODY.search(page).group(1) if _BODY.search(page) else page}</div>'
        for language, _s, _t, page in parts
    )
    page = (f'<!doctype html><html lang="{parts[0][0]}"><head><meta charset="utf-8"><title>{escape(joined_subject)}'
            f'</title></head><body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; '
            f'color: #212529; max-width: 36rem;">{sections}</body></html>')  # fmt: skip
    return joined_subject, text, page


def email_send(*, to: str, languages: list[str], subject: Text, template: str, context: Context, html: bool = True,
               attachments=()) -> None:  # fmt: skip
    subject_line, text, page = email_render(
        languages=languages, subject=subject, template=template, context=context, html=html
    )
    message = EmailMultiAlternatives(subject_line, text, None, [to])
    if page is not None:
        message.attach_alternative(page, "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    message.send()
