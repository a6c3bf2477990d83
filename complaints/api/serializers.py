"""Serializers of the complaints API: shapes and field checks only; the rules live in services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints import lookups
from complaints.models import Complaint, ComplaintCategory
from complaints.privacy import complainant_for
from organizations.models import Agency


class CachedCodeField(serializers.SlugRelatedField):
    """A code turned into an active row through ``complaints.lookups`` (no query when cached)."""

    def __init__(self, *, lookup, **kwargs):
        self.lookup = lookup
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data:
            self.fail("invalid")
        row = self.lookup(data)
        if row is None:
            self.fail("does_not_exist", slug_name="code", value=data)
        return row


def _shallow_copy(field):
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone


class ComplaintCreateSerializer(serializers.Serializer):
    """What a system sends to file a complaint. Limits mirror ``complaints.services.complaint_submit``."""

    def get_fields(self):
        # DRF deep-copies the declared fields for every instance (~0.15 ms a request on
        # the intake path); a shallow copy each is enough for these flat, unbound
        # fields: binding sets only the copy's own attributes.
        return {name: _shallow_copy(f) for name, f in self._declared_fields.items()}

    category = CachedCodeField(
        lookup=lookups.active_category,
        queryset=ComplaintCategory.objects.filter(is_active=True),
        help_text="投诉类别代码（/open311/v2/services.json 的 service_code）",
        error_messages={"does_not_exist": _("投诉类别 {value} 不存在或已停用。")},
    )
    agency = CachedCodeField(
        lookup=lookups.active_agency,
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


class ComplaintAcceptedSerializer(serializers.Serializer):
    """What filing answers: the complaint is accepted now and filed within seconds."""

    tracking_no = serializers.CharField(help_text="投诉编号（含校验位）")
    query_code = serializers.CharField(help_text="查询码：只返回这一次，请转交投诉人")
    expected_by = serializers.DateField(help_text="预计办结日期（受理时限 + 办理时限）")
    created = serializers.BooleanField(help_text="false：同一幂等键已提交过，返回原投诉")
    complaint_id = serializers.IntegerField(
        allow_null=True, help_text="立案后的投诉 ID；刚接收时为 null（按投诉编号查询）"
    )


def accepted_body(accepted) -> dict:
    """``ComplaintAcceptedSerializer(accepted).data`` without the serializer's per-field
    machinery (the intake path answers thousands of these; a test keeps the two equal)."""
    return {
        "tracking_no": accepted.tracking_no,
        "query_code": accepted.query_code,
        "expected_by": accepted.expected_by.isoformat(),
        "created": accepted.created,
        "complaint_id": accepted.complaint_id,
    }


class ComplainantSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(help_text="true：投诉人匿名或未同意公开身份")
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint as an agency's system may read it: the complainant masked or hidden."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_accused = serializers.SlugRelatedField(slug_field="code", read_only=True)
    handling_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    complainant = serializers.SerializerMethodField()

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
            "outcome",
            "reply_text",
            "submitted_at",
            "registered_at",
            "concluded_at",
            "replied_at",
            "closed_at",
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
    on_time = serializers.IntegerField(help_text="按时办结件数（办理时限未超期）")
    timed = serializers.IntegerField(help_text="计时办结件数（按时率的分母）")
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text="按时办结率（百分数）；件数低于公示最少件数时为 null"
    )
    rated = serializers.IntegerField(help_text="有满意度评价的件数")
    satisfied = serializers.IntegerField(help_text="满意与基本满意件数")
    satisfaction_rate = serializers.FloatField(
        allow_null=True, help_text="满意率（百分数）；件数低于公示最少件数时为 null"
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
