"""English and Welsh in one place: dates written in the language of the page, and text made in someone else's
language (an email to a person who chose Welsh, sent by a job that runs in English).

Text that may be needed in more than one language is passed around unmade: `gettext_lazy("…")`, or
`later(gettext_lazy("… %(x)s …"), x=...)` when it has values, and made with `in_language`, so its dates, choices and
plurals come out in that language too. A plain `str` (words someone typed) is the same in every language."""

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise

Text = str | Promise | Callable[[], str]
WELSH, ENGLISH = "cy", "en-gb"


def day(value: date) -> str:
    """5 March 2026 / 5 Mawrth 2026."""
    return date_format(value, "j F Y")


def short_day(value: date) -> str:
    """5 Mar 2026 / 5 Maw 2026."""
    return date_format(value, "j M Y")


def day_month(value: date) -> str:
    return date_format(value, "j M")


def month(value: date) -> str:
    """March 2026 / Mawrth 2026."""
    return date_format(value, "F Y")


def month_name(value: date) -> str:
    return date_format(value, "F")


def translatable(text: Text) -> bool:
    return not isinstance(text, str)


def in_language(language: str, text: Text) -> str:
    with translation.override(language):
        return str(text() if callable(text) else text)


def own_language(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def email_languages(scheme, user=None) -> list[str]:
    """The languages an email goes out in, in order: Welsh then English when the scheme sends bilingual emails (the
    usual in Wales), otherwise the recipient's own language."""
    if scheme is not None and scheme.emails_bilingual:
        return [WELSH, ENGLISH]
    return [own_language(user)] if user is not None else [translation.get_language() or settings.LANGUAGE_CODE]


def later(message, **params) -> Callable[[], str]:
    """A message to be written later, in whatever language is active then (for `notification_create`): `message`
    is a gettext_lazy / ngettext_lazy string; each param is a value, or a callable such as `obj.get_kind_display` or
    `partial(day, d)` that is called then, so choices and dates come out in that language too."""

    def make() -> str:
        return str(message) % {key: value() if callable(value) else value for key, value in params.items()}

    return make


def chosen_language(request) -> str:
    """A language asked for (?language=cy, or a form's `language` field, for a report or a letter), else the
    page's own."""
    chosen = request.POST.get("language") or request.GET.get("language", "")
    return chosen if chosen in dict(settings.LANGUAGES) else translation.get_language()


def remember_language(user, language: str) -> None:
    """Keep a language someone chose on their account (an unknown one is ignored), so every device and every email
    follows it."""
    if language in dict(settings.LANGUAGES) and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def keep_language_chosen_before_sign_in(sender, request, user, **kwargs) -> None:
    """Someone who switched language on the sign-in page (the cookie) keeps that choice once signed in: the most
    recent choice wins over the one saved on their account."""
    if request is not None:
        remember_language(user, request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
