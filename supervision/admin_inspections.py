"""明察暗访 in the admin: read-only lists scoped like the pages (inspectors see their own);
recording and deciding happen on the pages, through the services. The checklist is
configuration, changed through an audited service."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from organizations.admin_base import AgencyScopedAdmin, ServiceErrorMixin
from supervision import services
from supervision.models import ChecklistItem, Inspection, Rectification
from supervision.selectors import inspections_visible_to, rectifications_visible_to


class _ReadOnly:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(_ReadOnly, AgencyScopedAdmin):
    agency_field = "agency"
    list_display = ("date", "kind", "agency", "place", "recorded_by", "page")
    list_filter = ("kind",)
    date_hierarchy = "date"
    readonly_fields = ("kind", "date", "agency", "place", "recorded_by", "note")
    exclude = ("inspectors",)

    def get_queryset(self, request):
        return inspections_visible_to(user=request.user)

    @admin.display(description=_("详情"))
    def page(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("supervision:inspection", args=[obj.pk]), _("打开")
        )


@admin.register(Rectification)
class RectificationAdmin(_ReadOnly, AgencyScopedAdmin):
    agency_field = "agency"
    list_display = ("agency", "finding", "state", "rounds", "opened_at", "page")
    list_filter = ("state",)
    readonly_fields = (
        "agency",
        "finding",
        "state",
        "rounds",
        "answer",
        "answered_by",
        "answered_at",
        "decided_by",
        "decided_at",
        "decision_note",
    )

    @classmethod
    def scope_test_factory(cls, agency):
        from model_bakery import baker

        finding = baker.make("supervision.Finding", agency=agency, inspection__agency=agency)
        return Rectification.objects.create(finding=finding, agency=agency)

    def get_queryset(self, request):
        return rectifications_visible_to(user=request.user)

    @admin.display(description=_("详情"))
    def page(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("supervision:rectification", args=[obj.pk]), _("打开")
        )


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "明察暗访检查项是全市统一的检查标准，不属于任何单位。"
    list_display = ("text", "code", "order", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False  # past inspections refer to it; retire it instead (is_active)

    def save_model(self, request, obj, form, change):
        saved = services.checklist_item_save(
            actor=request.user,
            item=obj if change else None,
            code=form.cleaned_data["code"],
            text=form.cleaned_data["text"],
            order=form.cleaned_data["order"],
            is_active=form.cleaned_data["is_active"],
        )
        obj.pk = saved.pk
