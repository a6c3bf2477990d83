"""Supervision in the admin: thin. Configuration rows are global (``scope_exempt``) and are
changed through audited services; agency-owned rows are scoped by ``AgencyScopedAdmin``."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organizations.admin_base import ServiceErrorMixin
from supervision import (  # noqa: F401  (the admin_* modules register their admins)
    admin_inspections,
    admin_rankings,
    admin_sanctions,
    services,
)
from supervision.admin_actions import service_action
from supervision.models import Bulletin, IndicatorSetting, RollupRun
from supervision.registry import indicator


@admin.register(IndicatorSetting)
class IndicatorSettingAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "指标设置是全市统一的统计口径，不属于任何单位。"
    list_display = ("code", "indicator_name", "min_sample", "is_active", "updated_at")
    fields = ("code", "indicator_name", "min_sample", "is_active")
    readonly_fields = ("code", "indicator_name")

    @admin.display(description=_("名称"))
    def indicator_name(self, obj):
        declared = indicator(obj.code)
        return declared.name if declared else "—"

    def has_add_permission(self, request):
        return False  # rows come from the apps' declarations

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.indicator_setting_update(
            actor=request.user,
            setting=obj,
            min_sample=form.cleaned_data["min_sample"],
            is_active=form.cleaned_data["is_active"],
        )


@admin.register(RollupRun)
class RollupRunAdmin(admin.ModelAdmin):
    scope_exempt = "统计刷新记录是系统运行记录，不含任何单位的数据。"
    list_display = ("started_at", "finished_at", "full", "days", "agencies", "rows")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bulletin)
class BulletinAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "通报是面向全市公开发布的文件，不属于任何单位。"
    list_display = ("title", "period_start", "period_end", "state", "published_at")
    list_filter = ("state",)
    fields = ("title", "summary", "period_start", "period_end", "state", "published_at")
    readonly_fields = ("period_start", "period_end", "state", "published_at")
    actions = [
        service_action(
            name="publish",
            label=_("发布所选通报"),
            service=lambda user, b, reason: services.bulletin_publish(actor=user, bulletin=b),
        ),
    ]

    def has_add_permission(self, request):
        return False  # drafted by the schedule (or the action)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.bulletin_edit(
            actor=request.user,
            bulletin=obj,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
        )
