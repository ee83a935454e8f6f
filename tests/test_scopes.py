import pytest
from django_scopes import ScopeError, scope, scopes_disabled

from schemes.models import Notification, Person


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
