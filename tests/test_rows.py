"""The reads every request makes first (session, user, tenancy) are SQL written once (schemes/rows.py): they must give
exactly what the ORM gives, values and types, on PostgreSQL and on SQLite."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from schemes.lockout import LockoutBackend
from schemes.models import User
from schemes.permissions import Role
from schemes.selectors import user_by_pk
from schemes.sessions import SessionStore

pytestmark = pytest.mark.django_db


def typed(obj) -> list:
    values = [(f.attname, getattr(obj, f.attname)) for f in type(obj)._meta.concrete_fields]
    return [(name, value, type(value)) for name, value in values]


def test_a_user_is_read_as_the_orm_reads_them(world, django_assert_num_queries):
    user = world.a.user(Role.COORDINATOR)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now(), preferred_language="cy")
    with django_assert_num_queries(1):
        found = user_by_pk(user.pk)
    assert typed(found) == typed(User.objects.get(pk=user.pk))
    assert user_by_pk(10**9) is None
    assert LockoutBackend().get_user(user.pk) == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert LockoutBackend().get_user(user.pk) is None  # as Django's: an inactive user is signed out


def test_a_session_is_read_as_the_orm_reads_it_and_an_expired_one_is_not(django_assert_num_queries):
    store = SessionStore()
    store["_auth_user_id"], store["what"] = "7", ["a list", 2]
    store.save()
    key = store.session_key
    with django_assert_num_queries(1):
        row = SessionStore(key)._get_session_from_db()
    assert typed(row) == typed(Session.objects.get(session_key=key))
    assert dict(SessionStore(key).load()) == {"_auth_user_id": "7", "what": ["a list", 2]}
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {} and expired.session_key is None  # a new key when saved, as Django does
    assert SessionStore("no-such-session-key-at-all-xxxxx").load() == {}
