"""明察暗访 (inspections): a checklist that is data, findings with photos, and the rectification
(整改) each finding opens on the deadline engine (``supervision.rectify``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.storage import attachment_storage
from organizations.models import Agency


def evidence_upload_to(instance, filename: str) -> str:
    # The user's file name never reaches the path (it is kept in original_name).
    return f"supervision/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class ChecklistItem(models.Model):
    """检查项 (checklist item): 在岗在位, 工作纪律, 服务态度 … — data seeded by a migration."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    text = models.CharField(_("检查内容"), max_length=120)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("检查项")
        verbose_name_plural = _("明察暗访检查项")

    def __str__(self) -> str:
        return self.text


class Inspection(models.Model):
    """One inspection of one agency's window or place."""

    class Kind(models.TextChoices):
        OPEN = "open", _("明察")
        COVERT = "covert", _("暗访")

    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("检查日期"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("被检查单位"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("窗口或场所"), max_length=120)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    note = models.TextField(_("总体情况"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("明察暗访")
        verbose_name_plural = _("明察暗访")
        indexes = [models.Index(fields=["agency", "date"], name="inspection_agency_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.agency}"


class InspectionCheck(models.Model):
    """The result of one checklist item in one inspection."""

    class Result(models.TextChoices):
        PASS = "pass", _("符合")
        FAIL = "fail", _("不符合")
        NOT_APPLICABLE = "na", _("不适用")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="checks"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("结果"), max_length=4, choices=Result.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["inspection", "item__order"]
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.get_result_display()}"


class Finding(models.Model):
    """发现的问题 (a finding): opens a rectification addressed to the agency."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.PROTECT, related_name="findings"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("检查项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("问题描述"), max_length=2000)
    person = models.CharField(_("涉及人员"), max_length=60, blank=True)

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = _("发现问题")
        verbose_name_plural = _("发现问题")

    def __str__(self) -> str:
        return self.description[:40]


class _File(models.Model):
    file = models.FileField(
        _("文件"), storage=attachment_storage, upload_to=evidence_upload_to, max_length=200
    )
    original_name = models.CharField(_("原文件名"), max_length=200)
    # Sniffed from the bytes, never taken from the browser (complaints.files).
    content_type = models.CharField(_("文件类型"), max_length=120)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class FindingPhoto(_File):
    finding = models.ForeignKey(
        Finding, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="photos"
    )

    class Meta:
        ordering = ["finding", "id"]
        verbose_name = _("问题照片")
        verbose_name_plural = _("问题照片")


class Rectification(models.Model):
    """整改: the agency answers a finding with evidence; the office accepts or returns it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待整改")
        ANSWERED = "answered", _("已反馈，待验收")
        RETURNED = "returned", _("退回重新整改")
        ACCEPTED = "accepted", _("已验收")

    finding = models.OneToOneField(
        Finding, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="rectification"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    rounds = models.PositiveSmallIntegerField(_("整改轮次"), default=1)
    answer = models.TextField(_("整改情况"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    decision_note = models.CharField(_("验收意见"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("下达时间"), auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("整改")
        verbose_name_plural = _("明察暗访整改")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(decided_by__isnull=False),
                name="rectification_accepted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.finding}"


class RectificationEvidence(_File):
    rectification = models.ForeignKey(
        Rectification, verbose_name=_("整改"), on_delete=models.PROTECT, related_name="evidence"
    )
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)

    class Meta:
        ordering = ["rectification", "id"]
        verbose_name = _("整改证明材料")
        verbose_name_plural = _("整改证明材料")
