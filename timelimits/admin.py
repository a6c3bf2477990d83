"""Admin: clocks (read-only, scoped, filterable by light), calendar and policies (audited edits),
the notice policy and digest time (audited edits), and each staff member's notification inbox
(``timelimits.admin_inbox``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from organizations.admin_base import AgencyScopedAdmin, DeclaredFiltersOnly, ServiceErrorMixin
from timelimits import config, history, labels
from timelimits.countdown import countdown
from timelimits.models import (
    Deadline,
    DeadlineEvent,
    DigestSchedule,
    EscalationStep,
    NoticePolicy,
    OutboxEntry,
    TimeLimitPolicy,
    WorkCalendarDay,
)

LIGHT_COLOURS = {"green": "#1a7f37", "yellow": "#b58900", "red": "#cf222e"}


class DeadlineEventInline(admin.TabularInline):
    """The clock's events as sentences (``timelimits.history``), never JSON or codes."""

    model = DeadlineEvent
    extra = 0
    can_delete = False
    fields = ("type", "light_label", "level_label", "actor_name", "sentence", "recorded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("actor__staff_profile", "deadline__policy")
            .prefetch_related("deadline__policy__steps")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("灯色"))
    def light_label(self, obj):
        return Deadline.Light(obj.light).label if obj.light else "—"

    @admin.display(description=_("督办级别"))
    def level_label(self, obj):
        return labels.level_label(obj.level, policy=obj.deadline.policy)

    @admin.display(description=_("操作人"))
    def actor_name(self, obj):
        return labels.person(obj.actor)

    @admin.display(description=_("经过"))
    def sentence(self, obj):
        return history.describe(obj, obj.deadline)


class KindFilter(admin.SimpleListFilter):
    """时限类型 by name: the kinds that have a policy, labelled as their apps call them."""

    title = _("时限类型")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = TimeLimitPolicy.objects.order_by("kind").values_list("kind", flat=True).distinct()
        return [(kind, labels.kind_label(kind)) for kind in kinds]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Deadline)
class DeadlineAdmin(AgencyScopedAdmin):
    """Clocks change only through services (other apps' workflows and the sweep): read-only here."""

    agency_field = "agency"
    list_display = (
        "kind_name",
        "subject_link",
        "agency",
        "responsible_name",
        "due_at",
        "light_badge",
        "state",
        "level",
        "provisional",
    )
    list_filter = ("light", KindFilter, "state", "agency", "provisional")
    search_fields = ("kind", "=subject_id")
    date_hierarchy = "due_at"
    list_select_related = ("agency", "responsible__staff_profile", "policy", "subject_type")
    inlines = [DeadlineEventInline]
    # In words: the kind by name, the subject by its number, staff by name, the level by its rung.
    fields = (
        ("kind_name", "category", "subject_link"),
        ("agency", "responsible_name"),
        ("state", "light_badge", "level", "provisional"),
        ("limit_amount", "extended_amount", "extension_count"),
        ("started_at", "warn_at", "due_at", "stopped_at"),
        ("time_left", "used", "remaining"),
    )
    readonly_fields = [f for row in fields for f in row]

    def get_queryset(self, request):
        # Subjects (complaints …) fetched once per type for the page, not once a row.
        return super().get_queryset(request).prefetch_related("subject", "policy__steps")

    @admin.display(description=_("时限类型"), ordering="kind")
    def kind_name(self, obj):
        return labels.kind_label(obj.kind, policy=obj.policy)

    @admin.display(description=_("办理对象"))
    def subject_link(self, obj):
        from timelimits.indicators import subject_url

        url = subject_url(obj)
        text = labels.subject_label(obj)
        return format_html('<a href="{}">{}</a>', url, text) if url else text

    @admin.display(description=_("责任人"))
    def responsible_name(self, obj):
        return labels.person(obj.responsible) if obj.responsible_id else "—"

    @admin.display(description=_("督办级别"), ordering="escalation_level")
    def level(self, obj):
        return labels.level_label(obj.escalation_level, policy=obj.policy)

    @admin.display(description=_("时限"))
    def limit_amount(self, obj):
        return labels.amount(obj.limit, obj.unit)

    @admin.display(description=_("已延期"))
    def extended_amount(self, obj):
        return labels.amount(obj.extended_by, obj.unit) if obj.extended_by else "—"

    @admin.display(description=_("剩余时间"))
    def time_left(self, obj):
        if obj.state == Deadline.State.PAUSED:
            return _("暂停计时")
        if obj.state != Deadline.State.RUNNING:
            return obj.get_state_display()
        return countdown(due_at=obj.due_at, unit=obj.unit)

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
        pass  # saved with its ladder in save_related: one service call, one audit row

    def save_related(self, request, form, formsets, change):
        """The policy and its 督办 ladder go to ``policy_save`` together (audited, recomputed)."""
        steps = []
        for formset in formsets:  # the ladder is the only inline
            for step_form in formset.forms:
                data = getattr(step_form, "cleaned_data", None)
                if not data or data.get("DELETE"):
                    continue
                steps.append(config.StepSpec(**{name: data[name] for name in config.STEP_FIELDS}))
            # The service wrote the rows; the admin's history message lists no inline objects.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        changed = config.policy_save(policy=form.instance, actor=request.user, steps=steps)
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


@admin.register(OutboxEntry)
class OutboxAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
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


@admin.register(NoticePolicy)
class NoticePolicyAdmin(ServiceErrorMixin, admin.ModelAdmin):
    """Which notices are sent at once and which wait for the daily digest."""

    scope_exempt = "通知方式规则是全市统一的配置，只有系统管理员可以修改"
    list_display = ("code", "name", "delivery", "updated_at")
    list_filter = ("delivery",)
    search_fields = ("code", "name")

    def save_model(self, request, obj, form, change):
        from timelimits.notice_config import notice_policy_save

        notice_policy_save(policy=obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # a kind without a row is sent at once: change it to 立即通知 instead


def _quarter_hours() -> list[tuple[str, str]]:
    times = [dt.time(h, m) for h in range(24) for m in (0, 15, 30, 45)]
    return [(t.isoformat(), t.strftime("%H:%M")) for t in times]


class DigestScheduleForm(forms.ModelForm):
    # A choice of quarter hours: a time typed by hand is one more thing to get wrong.
    send_at = forms.TypedChoiceField(
        label=_("每日汇总时间"), choices=_quarter_hours, coerce=dt.time.fromisoformat
    )

    class Meta:
        model = DigestSchedule
        fields = ("send_at",)


@admin.register(DigestSchedule)
class DigestScheduleAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "每日汇总时间是全市统一的配置，只有系统管理员可以修改"
    list_display = ("__str__", "send_at", "updated_at")
    form = DigestScheduleForm

    def save_model(self, request, obj, form, change):
        from timelimits.notice_config import digest_schedule_save

        digest_schedule_save(schedule=obj, actor=request.user)

    def has_add_permission(self, request):
        return not DigestSchedule.objects.exists()  # one row

    def has_delete_permission(self, request, obj=None):
        return False


from timelimits import admin_inbox  # noqa: E402, F401  (registers 我的通知)
