"""Per-client throttling of the public pages, on the shared cache (Redis), fixed windows.

A client is its address (the proxy's X-Forwarded-For when BEHIND_PROXY is set).
Counting is ``cache.add`` then ``cache.incr``: atomic in Redis, so two web processes
share one count.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from efficiency_portal.clients import client_address


def _key(scope: str, request) -> str:
    return f"complaints:throttle:{scope}:{client_address(request)}"


def is_throttled(request, *, scope: str, limit: int) -> bool:
    """True once the client has used ``limit`` hits of ``scope`` in the current window."""
    return (cache.get(_key(scope, request)) or 0) >= limit


def hit(request, *, scope: str) -> int:
    key = _key(scope, request)
    if cache.add(key, 1, timeout=settings.COMPLAINTS_THROTTLE_WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.COMPLAINTS_THROTTLE_WINDOW_SECONDS)
        return 1


def reset(request, *, scope: str) -> None:
    cache.delete(_key(scope, request))
