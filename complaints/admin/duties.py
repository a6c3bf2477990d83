"""Separation of duties in the admin: its settings and rules (audited services), and the
list filter that shows the cases waiting for a leader's 批示."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, DutyPolicy, Endorsement, EndorsementRule, Remedy
from complaints.services import duties as services_duties
from organizations.admin_base import ServiceErrorMixin


class EndorsementFilter(admin.SimpleListFilter):
    """领导批示: a leader's queue (待批示) on the complaints list."""

    title = _("领导批示")
    parameter_name = "endorsement"

    def lookups(self, request, model_admin):
        return [("pending", _("待批示")), ("given", _("已批示"))]

    def queryset(self, request, queryset):
        pending = Endorsement.objects.filter(complaint=OuterRef("pk"), endorsed_at__isnull=True)
        given = Endorsement.objects.filter(complaint=OuterRef("pk"), endorsed_at__isnull=False)
        if self.value() == "pending":
            return queryset.filter(Exists(pending))
        if self.value() == "given":
            return queryset.filter(Exists(given))
        return queryset


@admin.register(DutyPolicy)
class DutyPolicyAdmin(ServiceErrorMixin, admin.ModelAdmin):
    """Every save is ``duty_policy_update`` (audited, before → after)."""

    scope_exempt = "职责分离设置是全市统一的配置数据，不属于任何单位。"
    list_display = (
        "__str__",
        "separate_plan_approval",
        "office_not_handler",
        "leader_endorsement",
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not DutyPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False  # the services read the row

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services_duties.duty_policy_update(
            actor=request.user,
            **{name: data[name] for name in services_duties.DUTY_POLICY_FIELDS if name in data},
        )
        obj.pk = saved.pk


class EndorsementRuleForm(forms.ModelForm):
    """The codes as check boxes, labelled as the case page labels them."""

    outcomes = forms.MultipleChoiceField(
        label=_("核查结论"),
        choices=Complaint.Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    remedy_kinds = forms.MultipleChoiceField(
        label=_("处理措施"),
        choices=Remedy.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = EndorsementRule
        fields = services_duties.RULE_FIELDS


@admin.register(EndorsementRule)
class EndorsementRuleAdmin(ServiceErrorMixin, admin.ModelAdmin):
    """Rules through ``endorsement_rule_save`` (audited); retired by switching off, never deleted."""

    scope_exempt = "领导批示规则是全市统一的配置数据，不属于任何单位。"
    form = EndorsementRuleForm
    list_display = ("name", "code", "trigger", "supervision_level", "is_active")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services_duties.endorsement_rule_save(
            actor=request.user,
            rule=obj if change else None,
            **{name: data[name] for name in services_duties.RULE_FIELDS if name in data},
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # endorsements name the rule codes that asked for them
