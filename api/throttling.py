"""Per-client rate limits of the API: a fixed window counted in the cache.

A client is its token (staff API) or its address (public API, behind the
trusted proxies: ``newsroom.proxies``). Only requests
that reach Django count: a page served from the page cache in front of it
costs nothing worth limiting.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle

from newsroom.proxies import client_address

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """``"120/m"`` as (120, 60); None for an empty rate (no limit)."""
    if not rate:
        return None
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period[:1]]


class ClientRateThrottle(BaseThrottle):
    def __init__(self, setting: str):
        self.setting = setting
        self._wait = 0.0

    def _ident(self, request) -> str:
        token = getattr(request, "auth", None)
        if token is not None:
            return f"token:{token.pk}"
        return f"address:{client_address(request)}"

    def allow_request(self, request) -> bool:
        limit = parse_rate(getattr(settings, self.setting))
        if limit is None:
            return True
        count, period = limit
        now = time.time()
        key = f"api:rate:{self._ident(request)}:{int(now // period)}"
        try:
            cache.add(key, 0, timeout=period + 1)
            used = cache.incr(key)
        except ValueError:  # The window's counter expired between add and incr.
            return True
        except Exception:  # Whatever the cache backend raises when it is down.
            logger.warning("Rate limits unavailable; let through", exc_info=True)
            return True
        self._wait = period - now % period
        return used <= count

    def wait(self) -> float:
        return self._wait
