"""Per-client throttling of the public pages, on the shared cache (Redis), fixed windows.

A client is its address (``efficiency_portal.clients.client_address``). A hit is counted
first and the caller decides on the count it gets back: one MULTI/EXEC transaction starts
the window's counter with its expiry when there is none (SET NX EX) and adds to it
(INCRBY keeps the expiry). Concurrent requests, in any number of web processes, each get
a different count, so exactly ``limit`` of them are within the limit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from efficiency_portal.clients import client_address


def _key(scope: str, request) -> str:
    return f"complaints:throttle:{scope}:{client_address(request)}"


def hit(request, *, scope: str) -> int:
    """Count one hit of ``scope`` for this client; the window's count, this hit included."""
    return _add(_key(scope, request), 1)


def give_back(request, *, scope: str) -> None:
    """Take back a hit that turned out not to count (the follow page's right code).

    Should the window end in between, the next window starts one lower: one extra try.
    """
    _add(_key(scope, request), -1)


def _add(key: str, amount: int) -> int:
    key = cache.make_and_validate_key(key)
    # Django's cache API has no "add to, or create with an expiry" in one step; the
    # RedisCache's own client (and connection pool) runs the transaction.
    client = cache._cache.get_client(key, write=True)
    with client.pipeline(transaction=True) as pipe:
        pipe.set(key, 0, ex=settings.COMPLAINTS_THROTTLE_WINDOW_SECONDS, nx=True)
        pipe.incrby(key, amount)
        return pipe.execute()[1]
