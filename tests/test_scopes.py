import pytest
from django_scopes import ScopeError, scope

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
