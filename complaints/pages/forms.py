"""Forms of the citizen pages: the shape of the input only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaints.intake_checks import contact_problems
from complaints.models import Complaint, ComplaintCategory
from efficiency_portal.inputs import whole_number
from organizations.models import Agency, AgencyCategory

_TOO_LONG = _("不能超过 %(limit_value)d 个字（现有 %(show_value)d 个）。")


class _AgencyTreeChoices(forms.models.ModelChoiceIterator):
    """The agencies in groups by category, each group a tree (``agency_tree``)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category, agencies in agency_tree(self.queryset):
            yield (category.display_name, [self.choice(agency) for agency in agencies])

    def __len__(self):
        return self.queryset.count() + (self.field.empty_label is not None)


class AgencyChoiceField(forms.ModelChoiceField):
    """Agencies as a tree: optgroups by category, indented by level (works with no JavaScript);
    ``static/complaints/agency_search.js`` filters it as the citizen types."""

    iterator = _AgencyTreeChoices

    def label_from_instance(self, obj: Agency) -> str:
        return "\u3000" * getattr(obj, "tree_depth", 0) + obj.display_name


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


def agency_tree(queryset) -> list[tuple[AgencyCategory, list[Agency]]]:
    """``queryset``'s agencies as the select lists them: by category (its order), and in
    each category by level — every agency right after its parent, indented one step more
    (``tree_depth``) — and siblings by name (拼音 order on Chinese pages, by the stored key
    ``Agency.name_pinyin``; the English name's alphabetical order on English pages).
    An agency whose parent is not in the list (another category, inactive, or narrowed
    away by the search) starts a tree of its own."""
    english = (get_language() or "").startswith("en")
    agencies = list(
        queryset.select_related("category").order_by(
            "category__order", "category__code", "name_pinyin", "name", "pk"
        )
    )
    if english:  # name_en where there is one, else the Chinese name after the English ones
        agencies.sort(
            key=lambda a: (
                a.category.order,
                a.category.code,
                not a.name_en,
                a.display_name.casefold(),
            )
        )
    present = {a.pk: a for a in agencies}
    children: dict[int | None, list[Agency]] = {}
    for agency in agencies:  # in sibling order already
        parent = agency.parent_id
        same_group = parent in present and present[parent].category_id == agency.category_id
        children.setdefault(parent if same_group else None, []).append(agency)

    ordered: list[Agency] = []

    def walk(agency: Agency, depth: int) -> None:
        agency.tree_depth = depth
        ordered.append(agency)
        for child in children.get(agency.pk, []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    groups: list[tuple[AgencyCategory, list[Agency]]] = []
    for agency in ordered:
        if not groups or groups[-1][0].pk != agency.category_id:
            groups.append((agency.category, []))
        groups[-1][1].append(agency)
    return groups


class IntakeForm(forms.Form):
    agency_search = forms.CharField(
        label=_("查找单位"),
        max_length=50,
        required=False,
        # agency_search.js filters the select named here as the citizen types.
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "data-filters": "id_agency_accused",
                "data-found": _("找到 %s 个单位"),
            }
        ),
    )
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
    # Only when COMPLAINTS_SMS_VERIFY is on (removed in __init__ otherwise): the code the
    # "发送验证码" step sent to the real-name complainant's mobile (complaints.phone_codes).
    sms_code = forms.CharField(
        label=_("短信验证码"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "12"}
        ),
    )
    # Hidden: the double-click guard and the token of files kept from an earlier try.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    upload_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, agency_query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.COMPLAINTS_SMS_VERIFY:
            del self.fields["sms_code"]
        if agency_query:
            matching = public_agencies().filter(
                Q(name__icontains=agency_query)
                | Q(short_name__icontains=agency_query)
                | Q(name_en__icontains=agency_query)
            )
            if self.is_bound:  # keep the one already chosen selectable
                chosen = whole_number(self.data.get("agency_accused", ""))
                if chosen is not None:
                    matching = matching | public_agencies().filter(pk=chosen)
            self.fields["agency_accused"].queryset = matching.order_by("path")

    def clean(self):
        """The complainant's fields checked by the intake's own rules (``contact_problems``)
        here too, so one answer names every problem, not the first the service meets."""
        data = super().clean()
        problems = contact_problems(
            anonymous=data.get("anonymous", False),
            name=data.get("complainant_name", ""),
            phone=data.get("complainant_phone", ""),
            id_number=data.get("complainant_id_number", ""),
            email=data.get("complainant_email", ""),
        )
        for problem in problems:
            if problem.field not in self.errors:  # its own error (too long) says it already
                self.add_error(problem.field, problem.message)
        return data


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


class SupplementForm(forms.Form):
    """补充材料: what the complainant adds while the case is open (text and/or files)."""

    text = forms.CharField(
        label=_("补充说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("可以补充新的情况、证据线索或更正；不会公开，只有您和办理人员能看到。"),
        error_messages={"max_length": _TOO_LONG},
    )
    attachments = MultipleFileField(label=_("补充附件（选填）"), required=False)
    upload_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    # A double click adds once (complaint_add_material).
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
