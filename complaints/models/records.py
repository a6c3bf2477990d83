"""Everything recorded about a complaint: timeline, files, remedies, filings, requests, access.

督办 (supervision) has its own module, ``complaints.models.supervision``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from complaints.models.case import Complaint
from complaints.storage import attachment_storage, attachment_upload_to
from organizations.models import Agency


class ComplaintEvent(models.Model):
    """One step of the case timeline. Append-only (a DB trigger forbids edits)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="events"
    )
    occurred_at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(_("操作"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=12, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, blank=True)
    # What the complainant reads on the follow page, in plain words ("" = not shown to them).
    public_message = models.CharField(_("公开说明"), max_length=300, blank=True)
    # Staff-only note (reasons, opinions); never shown on public pages.
    internal_note = models.TextField(_("内部备注"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        indexes = [
            # Timeline: WHERE complaint_id = ? ORDER BY occurred_at, id
            models.Index(fields=["complaint", "occurred_at", "id"], name="complaint_event_timeline")
        ]

    def __str__(self) -> str:
        from complaints.labels import verb_label  # late: the labels read the workflow's table

        return f"{localtime(self.occurred_at):%Y-%m-%d %H:%M} {verb_label(self.verb)}"


class Attachment(models.Model):
    """A file of a case (citizen's material or staff evidence), stored outside any public URL."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("投诉材料")
        EVIDENCE = "evidence", _("核查证据")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    file = models.FileField(
        _("文件"), storage=attachment_storage, upload_to=attachment_upload_to, max_length=200
    )
    original_name = models.CharField(_("原文件名"), max_length=200)
    # Sniffed from the bytes, never taken from the browser (complaints.files).
    content_type = models.CharField(_("文件类型"), max_length=120)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class Remedy(models.Model):
    """A remedy or sanction recorded with the outcome, against the unit and/or the person."""

    class Kind(models.TextChoices):
        REFUND = "refund", _("退还违规收费")
        APOLOGY = "apology", _("赔礼道歉")
        SELF_CRITICISM = "self_criticism", _("书面检查")
        NOTICE_CRITICISM = "notice_criticism", _("通报批评")
        TRANSFER_POST = "transfer_post", _("调离岗位")
        PENALTY = "penalty", _("经济处罚")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="remedies"
    )
    kind = models.CharField(_("处理措施"), max_length=20, choices=Kind.choices)
    # The handling round (办理轮次) whose outcome decided it (Complaint.round_no then).
    round_no = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    against_agency = models.ForeignKey(
        Agency, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    against_person = models.CharField(_("责任人"), max_length=60, blank=True)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("处理措施")
        verbose_name_plural = _("处理措施")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="remedy_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class AccessLog(models.Model):
    """Every opening of the full record (complainant identity and contact). Append-only."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="access_logs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("查看时间"), auto_now_add=True)
    reason = models.CharField(_("查看理由"), max_length=300)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("查阅记录")
        verbose_name_plural = _("查阅记录")

    def __str__(self) -> str:
        return f"{self.user} {localtime(self.opened_at):%Y-%m-%d %H:%M}"


class RejectionFiling(models.Model):
    """否定报备: a refused complaint, filed for the efficiency office's review."""

    class Review(models.TextChoices):
        PENDING = "pending", _("待审查")
        UPHELD = "upheld", _("维持不予受理")
        OVERTURNED = "overturned", _("撤销，重新登记")

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="rejection"
    )
    reason = models.TextField(_("不予受理理由"))
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("报备时间"), auto_now_add=True)
    review = models.CharField(
        _("审查结果"), max_length=12, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    review_note = models.TextField(_("审查意见"), blank=True)

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("否定报备")
        verbose_name_plural = _("否定报备")

    def __str__(self) -> str:
        return f"{self.complaint.tracking_no} {self.get_review_display()}"


class ExtensionRequest(models.Model):
    """延期申请: at most one approved per complaint (a partial unique constraint)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="extensions"
    )
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            # "Extension at most once": one pending-or-approved request per complaint.
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="extension_at_most_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.tracking_no} {self.get_status_display()}"
