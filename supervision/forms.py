"""Forms of the supervision pages: thin — the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency
from supervision.models import ChecklistItem, Inspection, InspectionCheck

FINDING_SLOTS = 3


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=Inspection.Kind.choices)
    date = forms.DateField(
        label=_("检查日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    agency = forms.ModelChoiceField(label=_("被检查单位"), queryset=Agency.objects.none())
    place = forms.CharField(label=_("窗口或场所"), max_length=120)
    note = forms.CharField(label=_("总体情况"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.all()
        self.items = list(ChecklistItem.objects.filter(is_active=True))
        for item in self.items:
            self.fields[f"check_{item.code}"] = forms.ChoiceField(
                label=item.text,
                choices=InspectionCheck.Result.choices,
                initial=InspectionCheck.Result.PASS,
                widget=forms.RadioSelect,
            )
        for n in range(1, FINDING_SLOTS + 1):
            self.fields[f"finding_{n}"] = forms.CharField(
                label=_("问题 %(n)s") % {"n": n},
                required=False,
                max_length=2000,
                widget=forms.Textarea({"rows": 2}),
            )
            self.fields[f"finding_{n}_item"] = forms.ChoiceField(
                label=_("对应检查项"),
                required=False,
                choices=[("", "—")] + [(i.code, i.text) for i in self.items],
            )
            self.fields[f"finding_{n}_person"] = forms.CharField(
                label=_("涉及人员"), required=False, max_length=60
            )
            self.fields[f"finding_{n}_photos"] = MultipleFileField(label=_("照片"))
            # The photos of an earlier try, kept on disk under this token (common.stash).
            self.fields[f"finding_{n}_upload_token"] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )

    def check_fields(self):
        return [self[f"check_{item.code}"] for item in self.items]

    def finding_fields(self):
        return [
            [
                self[f"finding_{n}"],
                self[f"finding_{n}_item"],
                self[f"finding_{n}_person"],
                self[f"finding_{n}_photos"],
            ]
            for n in range(1, FINDING_SLOTS + 1)
        ]


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("整改情况"), max_length=5000, widget=forms.Textarea({"rows": 4}))
    evidence = MultipleFileField(label=_("证明材料"), widget=MultipleFileInput())


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("验收结论"), choices=[("accept", _("验收通过")), ("return", _("退回重新整改"))]
    )
    note = forms.CharField(label=_("意见"), required=False, max_length=300)
