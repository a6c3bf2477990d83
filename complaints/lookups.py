"""Code → row look-ups on the intake path, cached per process for a few seconds.

Every filing names its category and accused agency by code, and the complaint
centre (``COMPLAINTS_OFFICE_AGENCY_CODE``) owns the accept clock: three reads of
tables that change a few times a year, on the hottest write path (see README,
"Intake through the API"). A row is kept for ``CODE_CACHE_SECONDS``; an agency or
category deactivated in the admin is still accepted for at most that long, which
is harmless (the office can reject such a complaint) and is the price of not
reading them on every request. Unknown codes are not cached, so a typo costs a
query each time but a new code works at once.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from complaints.models import ComplaintCategory
from organizations.models import Agency

# A technical trade-off (staleness after a deactivation), not a business number.
CODE_CACHE_SECONDS = 30

_lock = threading.Lock()
_rows: dict[tuple[str, str], tuple[float, object]] = {}


def _cached(kind: str, code: str, load):
    now = time.monotonic()
    with _lock:
        hit = _rows.get((kind, code))
    if hit is not None and hit[0] > now:
        return hit[1]
    row = load()
    if row is not None:
        with _lock:
            _rows[(kind, code)] = (now + CODE_CACHE_SECONDS, row)
    return row


def clear() -> None:
    """Forget every cached row (tests that deactivate a row and file at once)."""
    with _lock:
        _rows.clear()


def active_category(code: str) -> ComplaintCategory | None:
    return _cached(
        "category",
        code,
        lambda: ComplaintCategory.objects.filter(code=code, is_active=True).first(),
    )


def active_agency(code: str) -> Agency | None:
    return _cached("agency", code, lambda: Agency.objects.filter(code=code, is_active=True).first())


def office_agency() -> Agency | None:
    """The complaint centre that owns intake clocks, if one is configured."""
    code = settings.COMPLAINTS_OFFICE_AGENCY_CODE
    return _cached("office", code, lambda: Agency.objects.filter(code=code).first())
