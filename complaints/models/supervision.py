"""督办 (supervision) of a complaint: the graded instruction, its recipient and the written answer.

A level (督办级别: 一般 / 重点 / 挂牌) is data. Its answer time limit and 督办 ladder are
the deadline engine's policy of kind ``complaint.supervision_answer`` whose category is
the level's code (``complaints.clocks.SUPERVISION_ANSWER``), so the limit is edited,
audited and recomputed like every other time limit. The clock's due time is read from
the engine, never copied here: a calendar or policy edit moves it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaints.models.case import Complaint
from organizations.models import Agency


class SupervisionLevel(models.Model):
    """督办级别 (supervision level), mild to severe by ``order``; retired by switching it off."""

    code = models.SlugField(
        _("代码"), max_length=40, unique=True, help_text=_("创建后不能修改；也是答复时限规则的类别")
    )
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("从轻到重"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("督办级别")
        verbose_name_plural = _("督办级别")

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        """The name in the reader's language (English pages show English data where there is some)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Supervision(models.Model):
    """督办: the efficiency office presses the handling agency on a case and awaits its answer.

    Rows from before graded 督办 have the level 一般, no answer clock and no answer:
    nothing was asked of the agency in writing then, so no answer is counted as owed,
    on time or late.
    """

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="supervisions"
    )
    level = models.ForeignKey(
        SupervisionLevel, verbose_name=_("督办级别"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("督办时间"), auto_now_add=True)
    instruction = models.TextField(_("督办意见"))
    # 督办对象: the handling agency (its clock's agency), and optionally a person in it.
    recipient_agency = models.ForeignKey(
        Agency, verbose_name=_("督办对象单位"), on_delete=models.PROTECT, related_name="+"
    )
    recipient_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办对象人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("书面答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        constraints = [
            # An answer is its text, its author and its time together, or nothing yet.
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answered_by__isnull=True, answer="")
                | (Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer="")),
                name="supervision_answer_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.tracking_no} {self.level} {localtime(self.issued_at):%Y-%m-%d}"
