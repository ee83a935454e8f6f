"""Django's database sessions, read with a query written once (`schemes.rows`) rather than built by the ORM on every
request. Everything else (saving, expiry, `clearsessions`) is Django's own."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from .rows import Where, fetch_one, now_param


def _where(quote) -> str:
    from django.contrib.sessions.models import Session  # the app registry is ready by the first request

    meta = Session._meta
    return (
        f"FROM {quote(meta.db_table)} s WHERE s.{quote(meta.get_field('session_key').column)} = %s "
        f"AND s.{quote(meta.get_field('expire_date').column)} > %s"
    )


WHERE = Where(_where)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        """As Django's: the session's row if it exists and has not expired; if not, none (and a new key if saved)."""
        found = fetch_one((("s", self.model),), WHERE, [self.session_key, now_param(timezone.now())])
        if found is None:
            self._session_key = None
            return None
        return found[0]
