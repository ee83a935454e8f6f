"""The daily reminder sweep's rules, one list for every app (each app owns its rules and registers them here in its
AppConfig.ready(), so imports still point one way). A rule takes (scheme, today), runs inside the scheme's scope,
sends each reminder through `schemes.services.reminder_send` (recorded once per thing, threshold and person), and
returns how many it sent. A rule reads in a fixed number of queries whatever the scheme's size."""

from collections.abc import Callable
from datetime import date

from .models import Scheme

Rule = Callable[[Scheme, date], int]
_rules: list[tuple[str, Rule]] = []


def register(name: str, rule: Rule) -> None:
    if name not in {n for n, _ in _rules}:
        _rules.append((name, rule))


def rules() -> list[tuple[str, Rule]]:
    return list(_rules)


def already_sent(rule: str, abouts: list[str]) -> set[tuple[str, str, int]]:
    """(about, threshold, recipient id) of the reminders of a rule already sent about these things: one read."""
    from .models import ReminderSent

    sent = ReminderSent.objects.filter(rule=rule, about__in=abouts)
    return set(sent.values_list("about", "threshold", "recipient_id"))


def send_to_each(scheme, *, rule: str, about: str, threshold: str, recipients, already, **message) -> int:
    """Send one reminder to each recipient who has not had it; returns how many were sent."""
    from .services import reminder_send

    return sum(
        reminder_send(scheme=scheme, rule=rule, about=about, threshold=threshold, recipient=user, **message)
        for user in recipients
        if (about, threshold, user.pk) not in already
    )
