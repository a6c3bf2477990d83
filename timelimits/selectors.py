"""Reads on behalf of a user: their visible clocks and their inbox."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from organizations.scoping import scope_queryset
from timelimits.models import Channel, Deadline, DeadlineEvent, Notification


def deadlines_visible_to(*, user) -> QuerySet[Deadline]:
    return scope_queryset(Deadline.objects.select_related("agency", "responsible"), user)


def inbox_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk, channel=Channel.IN_APP)


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox_for(user=user).filter(read_at__isnull=True).count()


def on_time_rate(*, kind: str, agency_id: int | None = None) -> float | None:
    """按时签收率 / 按时办结率 for ``kind``, from the append-only stop events alone.

    met / (met + missed); cancelled clocks do not count. ``None`` when nothing finished.
    """
    events = DeadlineEvent.objects.filter(type=DeadlineEvent.Type.STOP, data__kind=kind)
    if agency_id is not None:
        events = events.filter(data__agency_id=agency_id)
    counts = events.aggregate(
        met=Count("id", filter=Q(data__outcome="met")),
        missed=Count("id", filter=Q(data__outcome="missed")),
    )
    finished = counts["met"] + counts["missed"]
    return counts["met"] / finished if finished else None
