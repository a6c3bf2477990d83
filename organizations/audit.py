"""Write an audit row. Called inside the service's transaction.

A configuration edit records what it changed as ``data["changes"]``:
``{"field": [before, after], …}``, built with ``snapshot`` before and after the
write and ``changes`` between the two. Values are stored as JSON (dates and
decimals as strings, a foreign key as its id); a personal field is recorded as
changed without its values (``hidden``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from organizations.models import AuditEvent

HIDDEN = "***"


def audit(
    *, actor, verb: str, subject, agency=None, data: dict[str, Any] | None = None
) -> AuditEvent:
    data = data or {}
    if "changes" not in data and isinstance(data.get("after"), dict):
        # A service that records before and after also gets the field-by-field diff every
        # audit row carries (``data["changes"]``), so readers need not compare the two.
        before = data.get("before") if isinstance(data.get("before"), dict) else {}
        data = {**data, "changes": changes(as_json(before), as_json(data["after"]))}
    return AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        agency=agency,
        verb=verb,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        data=data,
    )


def as_json(value: Any) -> Any:
    """``value`` as the JSON column will hold it (a date as ISO text, a Decimal as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The stored values of ``obj``'s concrete fields (or ``fields``), JSON-ready.

    A foreign key is its id; ``auto_now`` stamps are left out; ``None`` (nothing yet)
    has no values.
    """
    if obj is None:
        return {}
    wanted = set(fields) if fields is not None else None
    values = {
        field.name: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if not field.primary_key
        and not _stamped(field)
        and (wanted is None or field.name in wanted)
    }
    return as_json(values)


def _stamped(field) -> bool:
    # auto_now columns change on every save; they are the audit row's own time, not a change.
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def changes(
    before: dict[str, Any], after: dict[str, Any], *, hidden: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """``{"field": [before, after]}`` for every value that differs; ``hidden`` fields keep no values."""
    hidden = set(hidden)
    diff = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            diff[name] = [HIDDEN, HIDDEN] if name in hidden else [old, new]
    return diff
