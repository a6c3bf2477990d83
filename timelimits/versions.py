"""Per-process caches of configuration tables, revalidated with one tiny query.

Triggers keep one row per configuration in ``timelimits_configversion`` (migration
0006): ``calendar`` for ``WorkCalendarDay``, ``policy`` for ``TimeLimitPolicy`` and
``EscalationStep``. ``fingerprint()`` reads both rows with their ``xmin`` — what this
transaction sees, so an uncommitted edit of its own is seen at once and a rolled-back
one never poisons the cache — and a ``Versioned`` value is rebuilt only when the part
of the fingerprint it depends on has moved.

    _policies = Versioned("policy", load_policies)
    _policies.get()                      # one pk-ordered read of a two-row table
    _policies.get(versions=fp)           # several caches checked against one read
    with pinned(): ...                   # one read for a whole service call
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connection

T = TypeVar("T")


_pinned: contextvars.ContextVar[dict | None] = contextvars.ContextVar("versions", default=None)


def fingerprint() -> dict[str, tuple]:
    """{name: (version, xmin)} as the current transaction sees the version rows."""
    pinned = _pinned.get()
    if pinned:
        return pinned
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, version, xmin::text FROM timelimits_configversion")
        versions = {name: (version, xmin) for name, version, xmin in cursor.fetchall()}
    if pinned is not None:
        pinned.update(versions)
    return versions


@contextlib.contextmanager
def pinned():
    """Read the versions once for the whole block (one service's transaction).

    Inside one transaction that does not itself edit policies or the calendar, the
    configuration it computes with is the one it read first — as if the service
    ran under REPEATABLE READ for these two rows.
    """
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


class Versioned(Generic[T]):
    """A value built from the database, kept per process until its version row changes."""

    def __init__(self, name: str, build: Callable[[], T]) -> None:
        self.name = name
        self._build = build
        self._lock = threading.Lock()
        self._cached: tuple[tuple, T] | None = None

    def get(self, *, versions: dict[str, tuple] | None = None) -> T:
        key = (versions if versions is not None else fingerprint()).get(self.name, (0, ""))
        with self._lock:
            if self._cached is not None and self._cached[0] == key:
                return self._cached[1]
        value = self._build()  # outside the lock: two threads may build, both correct
        with self._lock:
            self._cached = (key, value)
        return value
