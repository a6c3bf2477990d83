"""Reads on behalf of a user: their visible clocks and their inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from organizations.scoping import scope_queryset
from timelimits.models import Channel, Deadline, Notification


def deadlines_visible_to(*, user) -> QuerySet[Deadline]:
    return scope_queryset(Deadline.objects.select_related("agency", "responsible"), user)


def inbox_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk, channel=Channel.IN_APP)


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox_for(user=user).filter(read_at__isnull=True).count()
