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


class RemedyRowForm(forms.Form):
    """One remedy of the finding (处理措施), against the accused unit or a named person of it."""

    UNIT, PERSON = "unit", "person"

    kind = forms.ChoiceField(
        label=_("处理措施"), choices=[("", "—"), *Remedy.Kind.choices], required=False
    )
    target = forms.ChoiceField(
        label=_("处理对象"),
        choices=[(UNIT, _("责任单位")), (PERSON, _("责任人"))],
        initial=UNIT,
        required=False,
    )
    person = forms.CharField(label=_("责任人"), max_length=60, required=False)
    amount = forms.DecimalField(
        label=_("金额（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("措施说明"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("kind"):
            if data.get("person") or data.get("amount") is not None or data.get("note"):
                self.add_error("kind", _("请选择处理措施。"))
            return data
        person = (data.get("person") or "").strip()
        if data.get("target") == self.PERSON and not person:
            self.add_error("person", _("对责任人的处理措施须填写责任人姓名。"))
        elif data.get("target") != self.PERSON and person:
            self.add_error("target", _("填写了责任人姓名时，处理对象请选择“责任人”。"))
        return data


RemedyRows = forms.formset_factory(RemedyRowForm, extra=3, max_num=10, validate_max=True)


class ConcludeForm(forms.Form):
    """办结: the finding, with no outcome chosen in advance, and several remedies (``remedy_rows``)."""

    outcome = forms.ChoiceField(
        label=_("核查结论"),
        choices=[("", _("—— 请选择 ——")), *Complaint.Outcome.choices],
        error_messages={"required": _("请选择核查结论。")},
    )
    findings = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, data=None, files=None, **kwargs):
        super().__init__(data, files, **kwargs)
        if data is not None and "remedy-TOTAL_FORMS" not in data:
            # A post without the rows (a script, an old page) means no remedies, not a tampered form.
            data = data.copy()
            data.update({"remedy-TOTAL_FORMS": "0", "remedy-INITIAL_FORMS": "0"})
        self.remedy_rows = RemedyRows(data, prefix="remedy")

    def is_valid(self) -> bool:
        valid = [super().is_valid(), self.remedy_rows.is_valid()]  # both, for every message
        if all(valid):
            self.cleaned_data["remedies"] = [
                row.cleaned_data for row in self.remedy_rows if row.cleaned_data.get("kind")
            ]
        return all(valid)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}))


class ReviewReplyForm(forms.Form):
    """答复审核: the office sends the draft as it is, or returns it with a note."""

    approve = forms.TypedChoiceField(
        label=_("审核意见"),
        choices=[("", _("—— 请选择 ——")), ("1", _("同意发出")), ("0", _("退回修改"))],
        coerce=lambda v: v == "1",
        error_messages={"required": _("请选择同意发出或退回修改。")},
    )
    note = forms.CharField(
        label=_("修改意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


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
