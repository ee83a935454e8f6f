"""The Redis cache (schemes/cache.py) is Django's, with one client kept instead of one made for each call: it must
still store, count and forget, against a real Redis."""

import uuid

import pytest
from django.conf import settings

from schemes.cache import RedisCache
from tests.conftest import need_redis


@pytest.fixture
def cache():
    need_redis()
    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["unread:1", "pooled", "tries"])  # not clear(): that would empty the whole Redis database


def test_it_stores_counts_and_forgets_through_one_client(cache):
    cache.set("unread:1", {7: 2}, 60)
    assert cache.get("unread:1") == {7: 2}
    assert cache.get_or_set("pooled", lambda: 41, 60) == 41 and cache.get("pooled") == 41
    cache.set("tries", 1, 60)
    assert cache.incr("tries") == 2
    cache.delete("unread:1")
    assert cache.get("unread:1") is None
    clients = [cache._cache.get_client(write=write) for write in (True, False, True)]
    assert all(client is clients[0] for client in clients)  # Django's makes a new one each time
