"""Serializers of the complaints API: shapes and field checks only; the rules live in services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints.models import Complaint, ComplaintCategory, HandlingRound
from complaints.privacy import complainant_for
from organizations.models import Agency


class CodeField(serializers.SlugRelatedField):
    """A code turned into an active row of ``queryset``; anything but a non-empty string is invalid."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data:
            self.fail("invalid")
        return super().to_internal_value(data)


class ComplaintCreateSerializer(serializers.Serializer):
    """What a system sends to file a complaint. Limits mirror ``complaints.services.complaint_submit``."""

    category = CodeField(
        queryset=ComplaintCategory.objects.filter(is_active=True),
        help_text="投诉类别代码（/open311/v2/services.json 的 service_code）",
        error_messages={"does_not_exist": _("投诉类别 {value} 不存在或已停用。")},
    )
    agency = CodeField(
        queryset=Agency.objects.filter(is_active=True),
        help_text="被投诉单位代码（/api/v1/agencies/）",
        error_messages={"does_not_exist": _("被投诉单位 {value} 不存在或已撤销。")},
    )
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=5000)
    accused_person = serializers.CharField(max_length=60, required=False, allow_blank=True)
    anonymous = serializers.BooleanField(default=False)
    consent_share_identity = serializers.BooleanField(
        default=False, help_text="投诉人是否同意向承办单位提供身份信息"
    )
    complainant_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
    complainant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    complainant_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    complainant_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    submission_key = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="幂等键：同一键只立案一次（也可用请求头 Idempotency-Key）",
    )


class ComplaintFiledSerializer(serializers.Serializer):
    """What filing answers: the complaint is filed; the query code is shown this once."""

    tracking_no = serializers.CharField(help_text="投诉编号（含校验位）")
    query_code = serializers.CharField(help_text="查询码：只返回这一次，请转交投诉人")
    expected_by = serializers.DateField(help_text="预计办结日期（受理时限 + 办理时限）")
    created = serializers.BooleanField(help_text="false：同一幂等键已提交过，返回原投诉")
    complaint_id = serializers.IntegerField(help_text="投诉 ID（/api/v1/complaints/{id}/）")


class ComplainantSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(help_text="true：投诉人匿名或未同意公开身份")
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class EarlierRoundSerializer(serializers.ModelSerializer):
    """A handling round that ended with a reopen (the current round is the complaint's own fields)."""

    class Meta:
        model = HandlingRound
        fields = ("number", "outcome", "concluded_at", "reply_text", "replied_at", "reopened_at")
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint as an agency's system may read it: the complainant masked or hidden.

    ``outcome`` … ``replied_at`` are the current handling round (``round_no``); the
    rounds before a reopen are listed in ``earlier_rounds``."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_accused = serializers.SlugRelatedField(slug_field="code", read_only=True)
    handling_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    complainant = serializers.SerializerMethodField()
    earlier_rounds = EarlierRoundSerializer(source="rounds", many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = (
            "id",
            "tracking_no",
            "state",
            "state_display",
            "category",
            "agency_accused",
            "handling_agency",
            "title",
            "description",
            "is_urgent",
            "channel",
            "channel_display",
            "round_no",
            "outcome",
            "reply_text",
            "submitted_at",
            "registered_at",
            "concluded_at",
            "replied_at",
            "closed_at",
            "earlier_rounds",
            "complainant",
        )
        read_only_fields = fields

    @extend_schema_field(ComplainantSerializer)
    def get_complainant(self, obj: Complaint) -> dict:
        shown = complainant_for(self.context["request"].user, obj)
        return {
            "hidden": shown.hidden,
            "name": shown.name,
            "phone": shown.phone,
            "email": shown.email,
        }


class StatsRowSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text="被投诉单位代码")
    agency_name = serializers.CharField()
    month = serializers.CharField(help_text="月份 YYYY-MM：当月提交的投诉（按批次统计）")
    received = serializers.IntegerField(help_text="收到投诉件数")
    concluded = serializers.IntegerField(help_text="已办结件数")
    on_time = serializers.IntegerField(
        help_text="按时办结数：办理时限在到期前结束（每轮办理各计一次）"
    )
    late = serializers.IntegerField(help_text="超时办结数：办理时限在到期后结束")
    overdue = serializers.IntegerField(help_text="超期未办结数：统计时已过办理时限仍未办结")
    timed = serializers.IntegerField(
        help_text="按时办结率的分母 = 按时办结数 + 超时办结数 + 超期未办结数"
    )
    on_time_rate = serializers.FloatField(
        allow_null=True,
        help_text="按时办结率（百分数）= 按时办结数 ÷ (已办结数 + 已超期未办结数)；"
        "超期即计为超时，无论是否办结；件数低于公示最少件数时为 null",
    )
    rated = serializers.IntegerField(
        help_text="评价数：每轮办理的满意度评价各计一次（投诉人评价，无则回访满意度）"
    )
    satisfied = serializers.IntegerField(help_text="满意与基本满意的评价数")
    satisfaction_rate = serializers.FloatField(
        allow_null=True,
        help_text="满意率（百分数）= 满意与基本满意的评价数 ÷ 评价数；重新办理前的不满意评价也计入；"
        "件数低于公示最少件数时为 null",
    )


class StatsQuerySerializer(serializers.Serializer):
    agency = serializers.CharField(required=False, max_length=40, help_text="被投诉单位代码")
    # Years 1900–2199 (efficiency_portal.inputs.FIRST_YEAR/LAST_YEAR): dt.date has no year 0.
    start = serializers.RegexField(
        r"^(19|2[01])\d\d-(0[1-9]|1[0-2])$",
        required=False,
        help_text="起始月份 YYYY-MM（默认 11 个月前）",
        error_messages={"invalid": _("月份格式应为 YYYY-MM。")},
    )
    end = serializers.RegexField(
        r"^(19|2[01])\d\d-(0[1-9]|1[0-2])$",
        required=False,
        help_text="截止月份 YYYY-MM（默认本月）",
        error_messages={"invalid": _("月份格式应为 YYYY-MM。")},
    )
