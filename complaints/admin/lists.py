"""The worklist's lights, due times and filters (green/yellow/red from the deadline engine)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from timelimits.models import Deadline

_LIGHT_ORDER = Case(
    When(light="red", then=Value(0)),
    When(light="yellow", then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def with_lights(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Annotate each complaint with its worst running clock: ``light``, ``due_at``, ``step_kind``,
    ``clock_unit`` (for the time left)."""
    worst = (
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Complaint),
            subject_id=OuterRef("pk"),
            state__in=["running", "paused"],
        )
        .exclude(kind="complaint.return_window")
        .annotate(light_order=_LIGHT_ORDER)
        .order_by("light_order", "due_at")
    )
    return queryset.annotate(
        light=Subquery(worst.values("light")[:1]),
        due_at=Subquery(worst.values("due_at")[:1]),
        step_kind=Subquery(worst.values("kind")[:1]),
        clock_unit=Subquery(worst.values("unit")[:1]),
    )


class LightFilter(admin.SimpleListFilter):
    title = _("灯色")
    parameter_name = "light"

    def lookups(self, request, model_admin):
        return [*Deadline.Light.choices, ("none", _("无计时"))]

    def queryset(self, request, queryset):
        # Semi-joins on the running clocks rather than a filter on the per-row annotation:
        # the office's worklist spans every complaint, the running clocks are far fewer.
        value = self.value()
        if value == "none":
            return queryset.exclude(pk__in=_with_running_light())
        if value == "red":
            return queryset.filter(pk__in=_with_running_light("red"))
        if value == "yellow":
            return queryset.filter(pk__in=_with_running_light("yellow")).exclude(
                pk__in=_with_running_light("red")
            )
        if value == "green":
            return queryset.filter(pk__in=_with_running_light("green")).exclude(
                pk__in=_with_running_light("red", "yellow")
            )
        return queryset


def _with_running_light(*lights: str):
    running = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Complaint),
        state__in=["running", "paused"],
    ).exclude(kind="complaint.return_window")
    if lights:
        running = running.filter(light__in=lights)
    return running.values("subject_id")


class AgeFilter(admin.SimpleListFilter):
    title = _("受理时长")
    parameter_name = "age"
    _DAYS = {"3": 3, "7": 7, "30": 30}

    def lookups(self, request, model_admin):
        return [
            ("3", _("3天内")),
            ("7", _("7天内")),
            ("30", _("30天内")),
            ("old", _("超过30天")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        now = timezone.now()
        if value in self._DAYS:
            return queryset.filter(submitted_at__gte=now - dt.timedelta(days=self._DAYS[value]))
        if value == "old":
            return queryset.filter(submitted_at__lt=now - dt.timedelta(days=30))
        return queryset
