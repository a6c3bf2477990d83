"""The case list's columns and the case page's names: narrow enough for a 1366 px screen,
in words (the light with the time left, agencies by short name, staff by name)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from timelimits import calendar
from timelimits.countdown import countdown
from timelimits.labels import kind_label, person
from timelimits.models import Deadline

LIGHT_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}


class CaseColumns:
    """Mixed into ComplaintAdmin; the rows come annotated by ``lists.with_lights``."""

    def get_changelist_instance(self, request):
        # The time left of every row on the page with one calendar read, not one a row.
        changelist = super().get_changelist_instance(request)
        changelist.result_list = list(changelist.result_list)
        cal, now = calendar.current(), timezone.now()
        for obj in changelist.result_list:
            obj.countdown = countdown(due_at=obj.due_at, unit=obj.clock_unit, now=now, cal=cal)
        return changelist

    @admin.display(description=_("时限"), ordering="due_at")
    def clock(self, obj):
        """● 红灯 超期 2 天 / 12-03: the light, the time left and the due date in one cell."""
        if not obj.light:
            return "—"
        return format_html(
            '<span style="color:{};font-weight:bold" title="{}">●</span> {}<br><small>{}</small>',
            LIGHT_COLOURS[obj.light],
            f"{kind_label(obj.step_kind)} · {Deadline.Light(obj.light).label}",
            getattr(obj, "countdown", None) or countdown(due_at=obj.due_at, unit=obj.clock_unit),
            date_format(timezone.localtime(obj.due_at), "m-d H:i"),
        )

    @admin.display(description=_("标题"), ordering="title")
    def short_title(self, obj):
        return Truncator(obj.title).chars(20)

    @admin.display(description=_("被投诉单位"), ordering="agency_accused__name")
    def accused(self, obj):
        return obj.agency_accused.short_name or obj.agency_accused.name

    @admin.display(description=_("承办单位"), ordering="handling_agency__name")
    def handler(self, obj):
        agency = obj.handling_agency
        return (agency.short_name or agency.name) if agency else "—"

    @admin.display(description=_("首问负责人"))
    def first_receiver_name(self, obj):
        return person(obj.first_receiver) if obj.first_receiver_id else "—"

    @admin.display(description=_("当前责任人"))
    def responsible_name(self, obj):
        return person(obj.responsible) if obj.responsible_id else "—"
