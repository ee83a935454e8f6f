import pytest
from django_scopes import ScopeError, scope, scopes_disabled

from schemes.models import Membership, Notification, Person, Scheme
from schemes.permissions import Role
from schemes.selectors import active_membership


@pytest.mark.django_db
def test_a_query_on_scheme_data_with_no_scheme_in_force_fails_loudly(world):
    with pytest.raises(ScopeError):
        list(Person.objects.all())
    with pytest.raises(ScopeError):
        Notification.objects.filter(recipient=world.a.user("coordinator")).count()


@pytest.mark.django_db
def test_inside_a_scope_only_that_schemes_rows_exist(world):
    with scope(scheme=world.a.scheme):
        assert list(Person.objects.all()) == [world.a.person]
        assert not Person.objects.filter(pk=world.b.person.pk).exists()


def test_a_rows_address_takes_the_scheme_in_force_without_reading_it_and_reads_it_otherwise(
    world, django_assert_num_queries
):
    with scopes_disabled():
        person = Person.objects.get(pk=world.a.person.pk)  # its scheme not read
    with scope(scheme=world.a.scheme), django_assert_num_queries(0):
        assert person.get_absolute_url().startswith(f"/s/{world.a.scheme.slug}/")
    with scopes_disabled():
        person = Person.objects.get(pk=world.a.person.pk)
    # in another scheme's scope (a job, say), or none, the row's own scheme is read
    with scope(scheme=world.b.scheme), django_assert_num_queries(1):
        assert person.get_absolute_url().startswith(f"/s/{world.a.scheme.slug}/")


def _orm_membership(user, slug):
    return (
        Membership.objects.select_related("scheme")
        .filter(user=user, scheme__slug=slug, is_active=True, scheme__is_active=True)
        .first()
    )


def _as_values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


@pytest.mark.django_db
def test_the_tenancy_lookup_finds_exactly_what_the_orm_finds_in_one_query(world, django_assert_num_queries):
    manager = world.a.user(Role.REGISTERED_MANAGER)
    Scheme.objects.filter(pk=world.a.scheme.pk).update(matching_weights={"distance": 3}, residential_weekly="1234.56")
    expected = _orm_membership(manager, "alpha")
    with django_assert_num_queries(1):
        found = active_membership(user_id=manager.pk, slug="alpha")
        scheme = found.scheme  # read with it, not after
    # every column the same value and type (dates with their time zone, money as Decimal, JSON as a dict)
    assert [(k, v, type(v)) for k, v in _as_values(found).items()] == [
        (k, v, type(v)) for k, v in _as_values(expected).items()
    ]
    assert [(k, v, type(v)) for k, v in _as_values(scheme).items()] == [
        (k, v, type(v)) for k, v in _as_values(expected.scheme).items()
    ]
    assert scheme.matching_weights == {"distance": 3} and found.has("view_records")
    # not a member of that scheme; the membership ended; the scheme closed: nothing, as with the ORM
    assert active_membership(user_id=manager.pk, slug="beta") is None
    assert active_membership(user_id=manager.pk, slug="no-such-scheme") is None
    Membership.objects.filter(pk=found.pk).update(is_active=False)
    assert active_membership(user_id=manager.pk, slug="alpha") is None is _orm_membership(manager, "alpha")
    carer = world.a.user(Role.CARER)
    assert active_membership(user_id=carer.pk, slug="alpha").role == Role.CARER
    Scheme.objects.filter(pk=world.a.scheme.pk).update(is_active=False)
    assert active_membership(user_id=carer.pk, slug="alpha") is None is _orm_membership(carer, "alpha")
