"""A fixed-window counter in the cache, for public forms. Shared by every worker when the cache is Redis."""

from django.core.cache import cache


def rate_limit_allows(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; True while at most `limit` attempts were made in the current window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr: this attempt opens a new window
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
