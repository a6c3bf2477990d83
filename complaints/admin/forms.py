"""Small forms for the action buttons on a complaint's admin page (one per transition)."""

from __future__ import annotations

from django import forms
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
    routing = forms.ChoiceField(label=_("办理方式"), choices=Complaint.Routing.choices)
    agency = forms.ModelChoiceField(
        label=_("承办单位"), queryset=Agency.objects.filter(is_active=True)
    )
    joint_agencies = forms.ModelMultipleChoiceField(
        label=_("协办单位（联办）"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    note = forms.CharField(
        label=_("拟办意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


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


class MergeForm(forms.Form):
    target = forms.CharField(label=_("目标投诉编号"), max_length=24)
    reason = forms.CharField(label=_("合并理由"), widget=forms.Textarea(attrs={"rows": 3}))
