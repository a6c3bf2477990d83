"""Review before reply (答复审核): which replies the office reads first, and the drafts it read.

* ``ReplyReviewRule`` — data, seeded by migration 0014 and edited in the admin through
  ``reply_review_rule_save`` (audited): per category (or all) and outcome (or all),
  whether the handler's reply goes to the office as a draft before the complainant
  sees it. The most specific row wins (``complaints.replies.review_required``).
* ``ReplyDraft`` — one row per version of a reply that needed review. A returned draft
  keeps its text and the office's note; the handler's revision is a new row. A row is
  decided once (pending → approved or returned) and never edited after.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models.case import Complaint, ComplaintCategory


class ReplyReviewRule(models.Model):
    """答复审核规则: whether a reply to a complaint of this category and outcome is reviewed first."""

    category = models.ForeignKey(
        ComplaintCategory,
        verbose_name=_("投诉类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示所有类别。"),
    )
    outcome = models.CharField(
        _("核查结论"),
        max_length=12,
        choices=Complaint.Outcome.choices,
        blank=True,
        help_text=_("留空表示所有结论。"),
    )
    review_required = models.BooleanField(_("答复须经效能办审核"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["category__order", "category__code", "outcome", "pk"]
        verbose_name = _("答复审核规则")
        verbose_name_plural = _("答复审核规则")
        constraints = [
            # One row per (category or all, outcome or all): the lookup never has to choose.
            models.UniqueConstraint(
                fields=["category", "outcome"],
                name="reply_review_rule_once",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        category = self.category.name if self.category_id else _("所有类别")
        outcome = self.get_outcome_display() if self.outcome else _("所有结论")
        return f"{category} · {outcome}"


class ReplyDraft(models.Model):
    """答复稿: a reply waiting for, or decided by, the office's review."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已同意发出")
        RETURNED = "returned", _("退回修改")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="reply_drafts"
    )
    # The handling round (办理轮次) it answers (Complaint.round_no then).
    round_no = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    text = models.TextField(_("答复内容"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)
    status = models.CharField(
        _("审核状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        ordering = ["written_at", "id"]
        verbose_name = _("答复稿")
        verbose_name_plural = _("答复稿")
        constraints = [
            # One draft waits at a time: the handler revises after a return, not beside it.
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(status="pending"),
                name="reply_draft_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | models.Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="reply_draft_decided_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.tracking_no} {self.get_status_display()}"
