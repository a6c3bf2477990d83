"""Small forms for the action buttons on a complaint's admin page (one per transition)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, Remedy
from organizations.models import Agency


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(forms.Form):
    """呈批: how and by whom. Agencies are found by typing (the admin's own autocomplete, backed
    by the Agency admin's search, by tree level then name); the accused agency is pre-filled."""

    routing = forms.ChoiceField(
        label=_("办理方式"), choices=Complaint.Routing.choices, widget=forms.RadioSelect
    )
    agency = forms.ModelChoiceField(
        label=_("承办单位（联办时为牵头单位）"),
        queryset=Agency.objects.filter(is_active=True),
        widget=AutocompleteSelect(Complaint._meta.get_field("plan_agency"), admin.site),
    )
    joint_agencies = forms.ModelMultipleChoiceField(
        label=_("协办单位（联办）"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        widget=AutocompleteSelectMultiple(Complaint._meta.get_field("joint_agencies"), admin.site),
        help_text=_("仅联办时填写：输入单位名称查找，可选多个。"),
    )
    note = forms.CharField(
        label=_("拟办意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def plan_initial(complaint: Complaint) -> dict:
    """A new plan starts from 转办 to the accused agency; a revised one from the plan it revises."""
    if complaint.state == Complaint.State.PLANNED and complaint.plan_agency_id:
        return {
            "routing": complaint.plan_routing or Complaint.Routing.TRANSFER,
            "agency": complaint.plan_agency_id,
            "joint_agencies": list(complaint.joint_agencies.values_list("pk", flat=True)),
            "note": complaint.plan_note,
        }
    return {"routing": Complaint.Routing.TRANSFER, "agency": complaint.agency_accused_id}


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批意见"),
        choices=[("1", _("同意")), ("0", _("不同意"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("核查结论"), choices=Complaint.Outcome.choices)
    findings = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 5}))
    remedy_kind = forms.ChoiceField(
        label=_("处理措施"), choices=[("", "—"), *Remedy.Kind.choices], required=False
    )
    remedy_person = forms.CharField(label=_("责任人"), max_length=60, required=False)
    remedy_amount = forms.DecimalField(
        label=_("金额（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    remedy_note = forms.CharField(label=_("措施说明"), max_length=300, required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}))


class CallbackForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("回访满意度"), choices=Complaint.Rating.choices)
    note = forms.CharField(
        label=_("回访记录"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class EvidenceForm(forms.Form):
    files = MultipleFileField(label=_("证据文件"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class EndorseForm(forms.Form):
    text = forms.CharField(label=_("批示内容"), widget=forms.Textarea(attrs={"rows": 4}))


class MergeForm(forms.Form):
    target = forms.CharField(label=_("目标投诉编号"), max_length=24)
    reason = forms.CharField(label=_("合并理由"), widget=forms.Textarea(attrs={"rows": 3}))
