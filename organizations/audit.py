"""Write an audit row. Called inside the service's transaction."""

from __future__ import annotations

from typing import Any

from organizations.models import AuditEvent


def audit(
    *, actor, verb: str, subject, agency=None, data: dict[str, Any] | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        agency=agency,
        verb=verb,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        data=data or {},
    )
