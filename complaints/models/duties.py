"""Separation of duties (职责分离): its settings, the rules that send a case to a leader, and 批示.

* ``DutyPolicy`` — one row (seeded by a migration, on by default): whether the proposer of
  a handling plan may approve it, whether the office may press the handling agency's
  buttons on a case it does not handle, whether cases go to a leader for 批示.
* ``EndorsementRule`` — which cases need a leader's 批示 (领导批示), by trigger: a finding
  with a sanction-type remedy, or a 督办 of a given level.
* ``Endorsement`` — one such requirement of a case and, once given, the leader's text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models.case import Complaint


class DutyPolicy(models.Model):
    """职责分离设置: one row (pk=1) seeded by a migration, editable in the admin (audited)."""

    # 拟办与审批分离: whoever proposed a handling plan (呈批) may not approve it.
    separate_plan_approval = models.BooleanField(_("拟办人不得审批本人拟办"), default=True)
    # The office is not the handling agency: 签收, 退回, 上传证据, 申请延期, 办结, 答复 are the
    # handling agency's, unless the office's own agency handles the case (自办).
    office_not_handler = models.BooleanField(_("效能办不代行承办单位操作"), default=True)
    # Cases matched by an active EndorsementRule wait for a leader's 批示 before 归档.
    leader_endorsement = models.BooleanField(_("须领导批示的投诉报领导批示"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("职责分离设置")
        verbose_name_plural = _("职责分离设置")

    def __str__(self) -> str:
        return str(_("职责分离设置"))

    @classmethod
    def current(cls) -> DutyPolicy:
        return cls.objects.order_by("pk").first() or cls()


class EndorsementRule(models.Model):
    """领导批示规则: when a case matches an active rule, it waits for a leader's 批示."""

    class Trigger(models.TextChoices):
        # The finding's outcome is one of ``outcomes`` and a remedy is one of ``remedy_kinds``.
        SANCTION = "sanction", _("投诉成立并给予处分类处理")
        # A 督办 of level ``supervision_level`` (a level's code, e.g. 挂牌督办) is issued.
        SUPERVISION_LEVEL = "supervision_level", _("督办级别")

    code = models.SlugField(_("规则代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    trigger = models.CharField(_("触发条件"), max_length=20, choices=Trigger.choices)
    # Codes of Complaint.Outcome and Remedy.Kind (lists of strings), for the sanction trigger.
    outcomes = models.JSONField(_("核查结论"), default=list, blank=True)
    remedy_kinds = models.JSONField(_("处理措施"), default=list, blank=True)
    # The code of a 督办 level, for the supervision-level trigger.
    supervision_level = models.CharField(_("督办级别代码"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("领导批示规则")
        verbose_name_plural = _("领导批示规则")

    def __str__(self) -> str:
        return self.name


class Endorsement(models.Model):
    """领导批示: a case waiting for a leader's instruction (``endorsed_at`` empty), or given."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), on_delete=models.PROTECT, related_name="endorsements"
    )
    round_no = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    # Codes of the EndorsementRule rows that asked for it (kept as they were then).
    rules = models.JSONField(_("触发规则"), default=list)
    requested_at = models.DateTimeField(_("报批时间"), auto_now_add=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批示领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("批示内容"), blank=True)
    endorsed_at = models.DateTimeField(_("批示时间"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        permissions = [("endorse_complaint", _("领导：对投诉作出批示"))]
        constraints = [
            # At most one pending 批示 a case; the leader's queue reads this partial index:
            # WHERE endorsed_at IS NULL (complaints_awaiting_endorsement).
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(endorsed_at__isnull=True),
                name="endorsement_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(endorsed_at__isnull=True)
                | (models.Q(leader__isnull=False) & ~models.Q(text="")),
                name="endorsement_given_has_leader_and_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.round_no}"
