"""Forms of the citizen pages: the shape of the input only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintCategory
from efficiency_portal.inputs import whole_number
from organizations.models import Agency

_TOO_LONG = _("不能超过 %(limit_value)d 个字（现有 %(show_value)d 个）。")


class AgencyChoiceField(forms.ModelChoiceField):
    """Agencies as a tree: indented by depth inside the select (works with no JavaScript)."""

    def label_from_instance(self, obj: Agency) -> str:
        return "\u3000" * obj.depth + obj.display_name


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ComplaintCategory) -> str:
        english = (get_language() or "").startswith("en") and obj.name_en
        return english or obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return [f for f in (data or []) if f] if isinstance(data, list | tuple) else data


def public_agencies():
    return Agency.objects.filter(is_active=True).order_by("path")


class IntakeForm(forms.Form):
    agency_search = forms.CharField(label=_("查找单位"), max_length=50, required=False)
    agency_accused = AgencyChoiceField(
        label=_("被投诉单位"),
        queryset=public_agencies(),
        empty_label=_("请选择被投诉单位"),
        error_messages={
            "required": _("请选择被投诉单位。"),
            "invalid_choice": _("请选择有效的被投诉单位。"),
        },
    )
    category = CategoryChoiceField(
        label=_("投诉类别"),
        queryset=ComplaintCategory.objects.filter(is_active=True),
        empty_label=_("请选择投诉类别"),
        error_messages={
            "required": _("请选择投诉类别。"),
            "invalid_choice": _("请选择有效的投诉类别。"),
        },
    )
    title = forms.CharField(
        label=_("标题"),
        max_length=100,
        error_messages={"required": _("请填写投诉标题。"), "max_length": _TOO_LONG},
    )
    description = forms.CharField(
        label=_("投诉内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明时间、地点、经过和您的诉求。"),
        error_messages={"required": _("请描述投诉事项。"), "max_length": _TOO_LONG},
    )
    accused_person = forms.CharField(
        label=_("被投诉人（选填）"),
        max_length=60,
        required=False,
        error_messages={"max_length": _TOO_LONG},
    )
    attachments = MultipleFileField(label=_("附件（选填）"), required=False)
    anonymous = forms.BooleanField(label=_("匿名投诉"), required=False)
    consent_share_identity = forms.BooleanField(
        label=_("同意向承办单位提供我的姓名和联系方式"), required=False
    )
    complainant_name = forms.CharField(
        label=_("姓名"), max_length=40, required=False, error_messages={"max_length": _TOO_LONG}
    )
    complainant_phone = forms.CharField(
        label=_("手机"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    complainant_email = forms.CharField(
        label=_("邮箱"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    complainant_id_number = forms.CharField(
        label=_("身份证号（选填）"), max_length=18, required=False
    )
    # Hidden: the double-click guard and the token of files kept from an earlier try.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    upload_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, agency_query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if agency_query:
            matching = public_agencies().filter(name__icontains=agency_query)
            if self.is_bound:  # keep the one already chosen selectable
                chosen = whole_number(self.data.get("agency_accused", ""))
                if chosen is not None:
                    matching = matching | public_agencies().filter(pk=chosen)
            self.fields["agency_accused"].queryset = matching.order_by("path")


class FollowForm(forms.Form):
    tracking_no = forms.CharField(
        label=_("投诉编号"),
        max_length=30,
        error_messages={"required": _("请填写投诉编号。")},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    query_code = forms.CharField(
        label=_("查询码"),
        max_length=30,
        error_messages={"required": _("请填写查询码。")},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对办理结果的评价"),
        choices=Complaint.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择评价。"), "invalid_choice": _("请选择评价。")},
    )
    comment = forms.CharField(
        label=_("意见（选填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _TOO_LONG},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("申请重新办理的理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明申请重新办理的理由。"), "max_length": _TOO_LONG},
    )
