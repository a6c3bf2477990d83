"""The complaint itself (效能投诉) and its categories."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency


class ComplaintCategory(models.Model):
    """投诉类别 (category): 服务态度, 办事效率, 乱收费 … — data seeded by a migration, editable."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    # Urgent categories run on the deadline engine's "urgent" policy (2 working days by default).
    is_urgent = models.BooleanField(_("紧急"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("投诉类别")
        verbose_name_plural = _("投诉类别")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The English name on English pages when there is one, else the Chinese name."""
        english = (get_language() or "").startswith("en")
        return self.name_en if self.name_en and english else self.name


class Complaint(models.Model):
    """效能投诉 (an efficiency complaint). Its workflow lives in ``complaints.services``."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待登记")
        REGISTERED = "registered", _("已登记")
        REJECTED = "rejected", _("不予受理")
        PLANNED = "planned", _("待审批")
        ROUTED = "routed", _("待签收")
        HANDLING = "handling", _("办理中")
        CONCLUDED = "concluded", _("待答复")
        REPLIED = "replied", _("待回访")
        CALLED_BACK = "called_back", _("已回访")
        CLOSED = "closed", _("已办结")
        MERGED = "merged", _("已合并")

    class Routing(models.TextChoices):
        SELF = "self", _("自办")
        TRANSFER = "transfer", _("转办")
        JOINT = "joint", _("联办")

    class Outcome(models.TextChoices):
        UNFOUNDED = "unfounded", _("不成立")
        PARTLY = "partly", _("部分成立")
        FOUNDED = "founded", _("成立")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    class Channel(models.TextChoices):
        """来源渠道 (intake channel): how the complaint reached the centre; the value is stable
        (the API returns it), the label is what people read."""

        WEB = "web", _("网上")
        PHONE = "phone", _("电话")
        VISIT = "visit", _("来访")
        LETTER = "letter", _("来信")
        HOTLINE = "12345", _("12345热线")
        API = "api", _("系统接入")
        OPEN311 = "open311", _("Open311 接入")

    # "XN-2026-000123-7": readable, with an ISO 7064 MOD 11,10 check digit (complaints.numbers).
    tracking_no = models.CharField(_("投诉编号"), max_length=24, unique=True)
    # The query code itself is never stored: "sha256$<salt>$<hex>" (complaints.numbers).
    query_code_hash = models.CharField(_("查询码摘要"), max_length=120, editable=False)
    # SHA-256 of the client's submission key: a double click files once.
    submission_key_hash = models.CharField(
        _("提交键摘要"), max_length=64, blank=True, default="", editable=False
    )

    category = models.ForeignKey(
        ComplaintCategory, verbose_name=_("投诉类别"), on_delete=models.PROTECT, related_name="+"
    )
    agency_accused = models.ForeignKey(
        Agency, verbose_name=_("被投诉单位"), on_delete=models.PROTECT, related_name="+"
    )
    # 承办单位: set when the office's handling plan is approved; owns the case for scoping.
    handling_agency = models.ForeignKey(
        Agency,
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_handled",
    )
    joint_agencies = models.ManyToManyField(
        Agency, verbose_name=_("协办单位"), blank=True, related_name="complaints_joint"
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("投诉内容"), max_length=5000)
    accused_person = models.CharField(_("被投诉人"), max_length=60, blank=True)

    # The complainant. Shown to the accused/handling agency only with consent (complaints.privacy).
    anonymous = models.BooleanField(_("匿名"), default=False)
    consent_share_identity = models.BooleanField(_("同意向承办单位提供身份"), default=False)
    complainant_name = models.CharField(_("投诉人姓名"), max_length=40, blank=True)
    complainant_phone = models.CharField(_("投诉人电话"), max_length=20, blank=True)
    complainant_id_number = models.CharField(_("投诉人证件号"), max_length=20, blank=True)
    complainant_email = models.EmailField(_("投诉人邮箱"), blank=True)

    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    is_urgent = models.BooleanField(_("紧急"), default=False)
    channel = models.CharField(
        _("来源渠道"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )

    # The plan (呈批) proposed by the office, and what was approved.
    plan_routing = models.CharField(
        _("拟办方式"), max_length=10, choices=Routing.choices, blank=True
    )
    plan_agency = models.ForeignKey(
        Agency,
        verbose_name=_("拟承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan_note = models.TextField(_("拟办意见"), blank=True)
    routing = models.CharField(_("办理方式"), max_length=10, choices=Routing.choices, blank=True)

    # 首问负责: the first staff member who received it, and who is responsible now.
    first_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当前责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The current handling round (办理轮次): 1, and one more after each reopen. Its finding,
    # reply and ratings are the fields below; closed rounds are kept in HandlingRound.
    round_no = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    outcome = models.CharField(_("核查结论"), max_length=10, choices=Outcome.choices, blank=True)
    findings = models.TextField(_("核查情况"), blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    callback_rating = models.CharField(
        _("回访满意度"), max_length=12, choices=Rating.choices, blank=True
    )
    citizen_rating = models.CharField(
        _("投诉人评价"), max_length=12, choices=Rating.choices, blank=True
    )
    citizen_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    # 办理公开: the text as the public reads and searches it, masked when the case is
    # answered (complaints.publication); the public pages never read the originals.
    public_title = models.TextField(
        _("公开标题"), blank=True, default="", db_default="", editable=False
    )
    public_description = models.TextField(
        _("公开投诉内容"), blank=True, default="", db_default="", editable=False
    )
    public_reply = models.TextField(
        _("公开答复"), blank=True, default="", db_default="", editable=False
    )

    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    routed_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    return_due_at = models.DateTimeField(_("可退回截止"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("重新办理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    state_before_merge = models.CharField(_("合并前状态"), max_length=12, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    # Its clocks on the deadline engine (reads only: the engine's services write them).
    deadlines = GenericRelation(
        "timelimits.Deadline",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="complaint",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("效能投诉")
        verbose_name_plural = _("效能投诉")
        permissions = [
            ("office_complaint", _("效能办：登记、审批、督办、合并、回访、归档投诉")),
            ("handle_complaint", _("承办单位：签收、退回、核查、答复投诉")),
            ("reveal_complainant", _("查看投诉人完整信息（须说明理由）")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key_hash"],
                condition=~models.Q(submission_key_hash=""),
                name="complaint_submission_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="merged") | models.Q(merged_into__isnull=False),
                name="complaint_merged_has_target",
            ),
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True)
                | ~models.Q(merged_into=models.F("id")),
                name="complaint_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=~models.Q(anonymous=True) | models.Q(complainant_name=""),
                name="complaint_anonymous_has_no_name",
            ),
        ]
        indexes = [
            # Worklists: WHERE handling_agency_id = ? AND state IN (…open…) ORDER BY submitted_at
            models.Index(fields=["handling_agency", "state"], name="complaint_handling_state"),
            # Accused agency's view and duplicate suggestions: WHERE agency_accused_id = ? AND state …
            models.Index(fields=["agency_accused", "state"], name="complaint_accused_state"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.title}"
