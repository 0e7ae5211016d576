"""A Redis cache that fails fast and open.

Every use of the cache here is an optimisation (whole pages, a rate limit's
counter): when Redis is down or stalled, the site must carry on without it at
once rather than wait on it, request after request. Each operation has short
socket timeouts (``CACHE_REDIS_TIMEOUT``); the first that fails opens a
breaker, and for ``BREAKER_SECONDS`` this process does not ask Redis at all
and answers as an empty cache would. Then it tries again.
"""

import functools
import logging
from time import monotonic

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BREAKER_SECONDS = 5.0


def _fails_open(fallback):
    """Wrap a cache method: on a Redis error, or while the breaker is open,
    return ``fallback(*args, **kwargs)`` instead (an empty cache's answer)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if monotonic() < self._closed_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self._closed_until = monotonic() + BREAKER_SECONDS
                logger.warning(
                    "Cache unavailable (%s); going without it for %.0f s",
                    error,
                    BREAKER_SECONDS,
                )
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _nothing(*args, **kwargs):
    return None


def _default(key, default=None, version=None):
    return default


def _refused(*args, **kwargs):
    return False


def _no_keys(keys, version=None):
    return {}


def _nothing_written(data, *args, **kwargs):
    return list(data)  # set_many's answer: the keys it could not store


def _not_counted(key, delta=1, version=None):
    return 0  # a counter that cannot be read limits nobody


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, failing fast and open (see the module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._closed_until = 0.0

    get = _fails_open(_default)(RedisCache.get)
    add = _fails_open(_refused)(RedisCache.add)
    set = _fails_open(_nothing)(RedisCache.set)
    touch = _fails_open(_refused)(RedisCache.touch)
    delete = _fails_open(_refused)(RedisCache.delete)
    has_key = _fails_open(_refused)(RedisCache.has_key)
    incr = _fails_open(_not_counted)(RedisCache.incr)
    get_many = _fails_open(_no_keys)(RedisCache.get_many)
    set_many = _fails_open(_nothing_written)(RedisCache.set_many)
    delete_many = _fails_open(_nothing)(RedisCache.delete_many)

    @_fails_open(_refused)
    def clear(self) -> bool:
        """Delete this cache's keys only: the database may be shared (with the
        broker's queues, say), where Django's FLUSHDB would empty everything."""
        client = self._cache.get_client(write=True)
        keys = client.scan_iter(match=f"{self.key_prefix}:*", count=1000)
        batch = []
        for key in keys:
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True
