"""Admin: clocks (read-only, scoped, filterable by light), calendar and policies (audited edits),
and each staff member's notification inbox."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from efficiency_portal.inputs import whole_number
from organizations.admin_base import AgencyScopedAdmin, ServiceErrorMixin
from timelimits import config
from timelimits.models import (
    Deadline,
    DeadlineEvent,
    EscalationStep,
    Notification,
    OutboxEntry,
    TimeLimitPolicy,
    WorkCalendarDay,
)

LIGHT_COLOURS = {"green": "#1a7f37", "yellow": "#b58900", "red": "#cf222e"}


class DeadlineEventInline(admin.TabularInline):
    model = DeadlineEvent
    extra = 0
    can_delete = False
    fields = ("at", "type", "light", "level", "actor", "data", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(AgencyScopedAdmin):
    """Clocks change only through services (other apps' workflows and the sweep): read-only here."""

    agency_field = "agency"
    list_display = (
        "kind",
        "subject_id",
        "agency",
        "responsible",
        "due_at",
        "light_badge",
        "state",
        "escalation_level",
        "provisional",
    )
    list_filter = ("light", "kind", "state", "agency", "provisional")
    search_fields = ("kind", "=subject_id")
    date_hierarchy = "due_at"
    list_select_related = ("agency", "responsible")
    inlines = [DeadlineEventInline]
    readonly_fields = [f.name for f in Deadline._meta.fields] + ["subject"]

    @classmethod
    def scope_test_factory(cls, agency):
        from timelimits.services import deadline_start

        return deadline_start(subject=agency, kind="complaint.handle", agency=agency)

    @admin.display(description=_("灯色"), ordering="light")
    def light_badge(self, obj):
        return format_html(
            '<strong style="color:{}">● {}</strong>',
            LIGHT_COLOURS.get(obj.light, "#000"),
            obj.get_light_display(),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 0


@admin.register(TimeLimitPolicy)
class TimeLimitPolicyAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "时限规则是全市统一的配置，只有系统管理员可以修改"
    list_display = (
        "kind",
        "category",
        "name",
        "limit",
        "unit",
        "warn_before",
        "warn_fraction",
        "extension_limit",
        "extension_times",
        "statutory_basis",
        "is_active",
    )
    list_filter = ("unit", "statutory_basis", "is_active")
    search_fields = ("kind", "name")
    inlines = [EscalationStepInline]

    def save_model(self, request, obj, form, change):
        # Validated and audited by the service; recomputation follows in save_related.
        config.policy_validate(obj)
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = config.policy_save(policy=form.instance, actor=request.user)
        if changed:
            self.message_user(
                request, _("已重新计算 %(n)s 个计时中的时限。") % {"n": changed}, messages.INFO
            )

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: running clocks point at it


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "工作日历是全国统一的放假安排，只有系统管理员可以修改"
    list_display = ("date", "is_workday", "kind", "name", "source", "updated_at")
    list_filter = ("kind", "source", "is_workday")
    search_fields = ("date", "name")
    date_hierarchy = "date"
    readonly_fields = ("source", "updated_at")

    def save_model(self, request, obj, form, change):
        changed = config.calendar_day_save(day=obj, actor=request.user)
        if changed:
            self.message_user(
                request, _("已重新计算 %(n)s 个计时中的时限。") % {"n": changed}, messages.INFO
            )

    def has_delete_permission(self, request, obj=None):
        return False  # a year is replaced as a whole with load_calendar


class UnreadFilter(admin.SimpleListFilter):
    title = _("阅读状态")
    parameter_name = "unread"

    def lookups(self, request, model_admin):
        return [("1", _("未读")), ("0", _("已读"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "0":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.action(description=_("标记为已读"))
def mark_read(modeladmin, request, queryset):
    from timelimits.outbox import notifications_mark_read

    notifications_mark_read(user=request.user, ids=list(queryset.values_list("pk", flat=True)))


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """我的通知 (my inbox): every staff member sees the in-app notices sent to them, no one else's."""

    scope_exempt = "通知按接收人过滤：每人只看到发给自己的站内通知"
    list_display = ("created_at", "subject", "unread_badge")
    list_filter = (UnreadFilter,)
    search_fields = ("subject", "body")
    fields = ("subject", "body", "link", "created_at", "read_at")
    readonly_fields = fields
    actions = [mark_read]

    def get_queryset(self, request):
        from timelimits.selectors import inbox_for

        return inbox_for(user=request.user)

    @admin.display(description=_("状态"))
    def unread_badge(self, obj):
        return _("已读") if obj.read_at else format_html("<strong>{}</strong>", _("未读"))

    def changelist_view(self, request, extra_context=None):
        from timelimits.selectors import unread_count

        count = unread_count(user=request.user)
        extra_context = {
            **(extra_context or {}),
            "title": _("我的通知（%(n)s 条未读）") % {"n": count},
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from timelimits.outbox import notifications_mark_read

        response = super().change_view(request, object_id, form_url, extra_context)
        if (pk := whole_number(object_id or "")) is not None:
            notifications_mark_read(user=request.user, ids=[pk])
        return response

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxEntry)
class OutboxAdmin(admin.ModelAdmin):
    """Every outbox row with its delivery state, for the system administrators (permission
    ``view_outboxentry``). Phone numbers and e-mail addresses are masked and the text is not
    shown: a notice to a complainant carries their query code until it is sent."""

    scope_exempt = "系统管理员监控通知投递；手机号、邮箱打码，不显示正文"
    list_display = ("created_at", "channel", "masked_recipient", "subject", "state", "attempts")
    list_filter = ("state", "channel")
    search_fields = ("subject", "dedupe_key")
    fields = ("created_at", "channel", "masked_recipient", "subject", "state", "attempts")
    fields += ("last_error", "sent_at", "dedupe_key")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient")

    @admin.display(description=_("接收方"))
    def masked_recipient(self, obj):
        return obj.recipient_label()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
