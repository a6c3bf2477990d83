"""督办 in the admin: the forms of the 督办 / 答复督办 buttons, the case page's list, the levels.

The two forms are built for one case (``needs_case``): the 督办 form offers the levels
in use with their answer limits and the staff of the handling agency; the answer form
offers the case's 督办 the user may answer. The level admin edits a level and its
answer limit in one form, through ``supervision_level_save`` (audited).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyInline
from complaints import clocks, selectors
from complaints.models import Complaint, Supervision, SupervisionLevel
from complaints.selectors.supervision import with_answer_clock
from complaints.services import supervision as supervision_services
from efficiency_portal.errors import ApplicationError
from organizations.admin_base import ServiceErrorMixin
from timelimits import services as engine
from timelimits.models import Deadline, Unit

_LIGHT_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}


def _limit_text(level: SupervisionLevel) -> str:
    try:
        policy = engine.policy_for(kind=clocks.SUPERVISION_ANSWER, category=level.code)
    except ApplicationError:
        return ""
    return f"{policy.limit} {policy.get_unit_display()}"


def _person_name(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.name if profile else user.get_username()


class _LevelChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        limit = _limit_text(obj)
        if not limit:
            return obj.label()
        return _("%(level)s（%(limit)s内书面答复）") % {"level": obj.label(), "limit": limit}


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        post = getattr(getattr(obj, "staff_profile", None), "post", "")
        return f"{_person_name(obj)}（{post}）" if post else _person_name(obj)


class SuperviseForm(forms.Form):
    """督办: level, recipient (the handling agency, optionally one person in it), instruction."""

    needs_case = True

    level = _LevelChoice(label=_("督办级别"), queryset=SupervisionLevel.objects.none())
    recipient_person = _PersonChoice(
        label=_("督办对象人员"), queryset=get_user_model().objects.none(), required=False
    )
    instruction = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, complaint: Complaint, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        levels = SupervisionLevel.objects.filter(is_active=True).order_by("order", "code")
        self.fields["level"].queryset = levels
        self.fields["level"].initial = levels.first()
        agency = complaint.handling_agency
        people = get_user_model().objects.filter(is_active=True, staff_profile__agency=agency)
        self.fields["recipient_person"].queryset = people.select_related("staff_profile").order_by(
            "staff_profile__name"
        )
        self.fields["recipient_person"].empty_label = _("（承办单位，不指定人员）")
        self.fields["recipient_person"].help_text = _(
            "督办对象单位：%(agency)s。不指定人员时，由当前承办人或单位负责人答复。"
        ) % {"agency": agency.name if agency else "—"}


class _SupervisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        due = (
            timezone.localtime(obj.answer_due_at).strftime("%Y-%m-%d %H:%M")
            if obj.answer_due_at
            else "—"
        )
        return _("【%(level)s】%(issued)s：%(text)s（%(due)s 前答复）") % {
            "level": obj.level.label(),
            "issued": timezone.localtime(obj.issued_at).strftime("%Y-%m-%d"),
            "text": obj.instruction[:40],
            "due": due,
        }


class SupervisionAnswerForm(forms.Form):
    """答复督办: which 督办 (the oldest first) and the agency's written answer."""

    needs_case = True

    supervision = _SupervisionChoice(label=_("督办事项"), queryset=Supervision.objects.none())
    answer = forms.CharField(label=_("书面答复"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, complaint: Complaint, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = selectors.supervisions_answerable(user=user, complaint=complaint)
        field = self.fields["supervision"]
        field.queryset = with_answer_clock(
            Supervision.objects.filter(pk__in=[row.pk for row in rows])
        ).select_related("level")
        field.initial = rows[0].pk if rows else None
        field.empty_label = None


class SupervisionInline(ReadOnlyInline):
    """The case's 督办: level, recipient, answer due (with its light), answer."""

    model = Supervision
    fields = (
        "issued_at",
        "level_label",
        "issued_by_name",
        "recipient",
        "instruction",
        "answer_due",
        "answer_status",
        "answer",
        "answered_by_name",
        "answered_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return with_answer_clock(super().get_queryset(request)).select_related(
            "level", "recipient_agency", "recipient_person__staff_profile"
        )

    @admin.display(description=_("督办级别"))
    def level_label(self, obj):
        return obj.level.label()

    @admin.display(description=_("督办人"))
    def issued_by_name(self, obj):
        return _person_name(obj.issued_by)

    @admin.display(description=_("督办对象"))
    def recipient(self, obj):
        if obj.recipient_person_id:
            return f"{obj.recipient_agency.name} · {_person_name(obj.recipient_person)}"
        return obj.recipient_agency.name

    @admin.display(description=_("答复期限"))
    def answer_due(self, obj):
        if obj.answer_due_at is None:
            return "—"
        due = timezone.localtime(obj.answer_due_at).strftime("%Y-%m-%d %H:%M")
        if obj.answer_state in (Deadline.State.RUNNING, Deadline.State.PAUSED):
            return format_html(
                '<span style="color:{};font-weight:bold">●</span> {}',
                _LIGHT_COLOURS.get(obj.answer_light, "#000"),
                due,
            )
        return due

    @admin.display(description=_("答复情况"))
    def answer_status(self, obj):
        if obj.answered_at is None:
            return _("待答复") if obj.answer_state else _("无需书面答复")
        if obj.answer_state == Deadline.State.MISSED:
            return _("逾期答复")
        return _("已按时答复") if obj.answer_state == Deadline.State.MET else _("已答复")

    @admin.display(description=_("答复人"))
    def answered_by_name(self, obj):
        return _person_name(obj.answered_by) if obj.answered_by_id else "—"


class SupervisionLevelForm(forms.ModelForm):
    """A level and its answer limit (the engine's policy for the level's code), in one form."""

    limit = forms.IntegerField(label=_("答复时限"), min_value=0)
    unit = forms.ChoiceField(label=_("时限单位"), choices=Unit.choices, initial=Unit.WORKING_DAYS)

    class Meta:
        model = SupervisionLevel
        fields = ("code", "name", "name_en", "order", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            policy = supervision_services.level_policy(self.instance)
            if policy is not None:
                self.fields["limit"].initial = policy.limit
                self.fields["unit"].initial = policy.unit
        self.fields["limit"].help_text = _(
            "自督办之时起计算；预警与逾期后的督办阶梯在“时限规则”（%(kind)s）中设置。"
        ) % {"kind": clocks.SUPERVISION_ANSWER}


@admin.register(SupervisionLevel)
class SupervisionLevelAdmin(ServiceErrorMixin, admin.ModelAdmin):
    """Levels through ``supervision_level_save`` (audited); retired by switching off, never deleted."""

    scope_exempt = "督办级别是全市统一的配置数据，不属于任何单位。"
    form = SupervisionLevelForm
    list_display = ("name", "name_en", "code", "answer_limit", "order", "is_active")
    fields = ("code", "name", "name_en", "order", "is_active", "limit", "unit")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()  # the policy category is the code

    @admin.display(description=_("答复时限"))
    def answer_limit(self, obj):
        return _limit_text(obj) or "—"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = supervision_services.supervision_level_save(
            actor=request.user,
            level=obj if change else None,
            limit=data.get("limit"),
            unit=data.get("unit") or None,
            **{n: data[n] for n in supervision_services.LEVEL_FIELDS if n in data},
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # 督办 point at their level: retire it by switching it off
