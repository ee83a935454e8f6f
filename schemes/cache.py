"""Django's Redis cache, with one Redis client per connection pool.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every call (over 900 Python calls with redis-py
8, for a client that only hands commands to the shared pool), and every staff page asks the cache once, for the
bell's number. redis-py's clients are made to be shared (each command takes a connection from the pool), so this
one keeps a client per pool; everything else is Django's. settings: CACHES["default"].
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id of a pool in self._pools (kept for the life of the process): its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClient
