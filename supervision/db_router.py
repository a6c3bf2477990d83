"""Reads of reports from a PostgreSQL replica (``DATABASE_REPLICA_URL``); writes never.

``ReplicaReadsMiddleware`` marks a GET or HEAD request to one of
``DATABASE_REPLICA_PATHS`` (the dashboard, public statistics, open data, their CSV
exports) as a report; while it runs, ``ReplicaRouter`` sends reads of the business
apps' models to the ``replica`` alias. Sessions, accounts and permissions are always
read from the primary (a fresh login must not wait for replication), and every write
goes to the primary. Without ``DATABASE_REPLICA_URL`` there is no ``replica`` alias and
everything uses the primary.
"""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings
from django.db import connections

REPLICA = "replica"
# Apps whose tables a report reads; everything else (sessions, auth, axes …) stays primary.
REPORT_APPS = frozenset({"organizations", "timelimits", "complaints", "supervision"})

_reporting: contextvars.ContextVar[bool] = contextvars.ContextVar("reporting", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def report_reads():
    """Route this block's reads to the replica (when there is one)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reporting.get() and model._meta.app_label in REPORT_APPS and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefixes = getattr(settings, "DATABASE_REPLICA_PATHS", ())
        if request.method in ("GET", "HEAD") and request.path.startswith(tuple(prefixes)):
            with report_reads():
                return self.get_response(request)
        return self.get_response(request)
