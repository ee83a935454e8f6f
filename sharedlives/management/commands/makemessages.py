"""Django's makemessages, without msgmerge's guesses: a new string starts empty instead of borrowing the Welsh of a
similar one (a wrong "fuzzy" guess is worse than none, and the CI check then names it as missing)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
