"""效能问责 (the sanctions ledger): a ladder of kinds that is data, each sanction with its source,
document number and issuer; threshold rules that propose into a queue; appeals decided by
someone other than the issuer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency, StaffProfile


class SanctionKind(models.Model):
    """问责方式 on the ladder, mild to severe (提醒 … 组织处理; 政务处分 only as a reference)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    severity = models.PositiveSmallIntegerField(_("轻重次序"), default=10)
    # 政务处分 is decided elsewhere (监察机关 / 任免机关); the ledger records a reference to it.
    reference_only = models.BooleanField(_("仅记录外部决定"), default=False)
    # Issued with a printable letter (效能告诫书).
    has_letter = models.BooleanField(_("出具告诫书"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["severity", "code"]
        verbose_name = _("问责方式")
        verbose_name_plural = _("问责方式")

    def __str__(self) -> str:
        return self.name


class SourceType(models.TextChoices):
    COMPLAINT = "complaint", _("投诉处理结果")
    INSPECTION = "inspection", _("明察暗访问题")
    RANKING = "ranking", _("排名结果")
    CARD = "card", _("红黄牌")
    RULE = "rule", _("累计规则")


class Sanction(models.Model):
    """One entry of the ledger, against an agency and, where named, a person of it."""

    class State(models.TextChoices):
        ISSUED = "issued", _("已作出")
        APPEALED = "appealed", _("申诉中")
        UPHELD = "upheld", _("申诉后维持")
        REVOKED = "revoked", _("已撤销")

    kind = models.ForeignKey(
        SanctionKind, verbose_name=_("问责方式"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("被问责单位"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        StaffProfile,
        verbose_name=_("被问责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    source_type = models.CharField(_("问责来源"), max_length=12, choices=SourceType.choices)
    source_complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("来源投诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_finding = models.ForeignKey(
        "supervision.Finding",
        verbose_name=_("来源问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_outcome = models.ForeignKey(
        "supervision.OutcomeProposal",
        verbose_name=_("来源排名结果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_deadline = models.ForeignKey(
        "timelimits.Deadline",
        verbose_name=_("来源时限"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_proposal = models.ForeignKey(
        "supervision.SanctionProposal",
        verbose_name=_("来源累计建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    reason = models.TextField(_("事实与理由"), max_length=3000)
    # For a reference-only kind (政务处分): the decision made elsewhere.
    reference_decision = models.CharField(_("外部决定"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("决定日期"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ISSUED)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("效能问责")
        verbose_name_plural = _("效能问责台账")
        constraints = [
            # A sanction names where it comes from: the source object of its type.
            models.CheckConstraint(
                condition=Q(source_type="complaint", source_complaint__isnull=False)
                | Q(source_type="inspection", source_finding__isnull=False)
                | Q(source_type="ranking", source_outcome__isnull=False)
                | Q(source_type="card", source_deadline__isnull=False)
                | Q(source_type="rule", source_proposal__isnull=False),
                name="sanction_has_its_source",
            ),
        ]
        indexes = [
            # Threshold rules: WHERE person_id = … AND kind_id = … AND issued_on in the year
            models.Index(fields=["person", "kind", "issued_on"], name="sanction_person_kind"),
            models.Index(fields=["agency", "kind", "issued_on"], name="sanction_agency_kind"),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else self.agency.name
        return f"{self.issued_on} {self.kind} · {who}"


class SanctionAppeal(models.Model):
    """申诉: one per sanction, decided by someone other than the issuer."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待审理")
        UPHELD = "upheld", _("维持")
        REVOKED = "revoked", _("撤销")

    sanction = models.OneToOneField(
        Sanction, verbose_name=_("问责"), on_delete=models.PROTECT, related_name="appeal"
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申诉人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("申诉理由"), max_length=3000)
    filed_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)
    result = models.CharField(
        _("审理结果"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审理时间"), null=True, blank=True)
    decision_note = models.CharField(_("审理意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("问责申诉")
        verbose_name_plural = _("问责申诉")

    def __str__(self) -> str:
        return f"{self.sanction} · {self.get_result_display()}"


class ThresholdRule(models.Model):
    """累计规则: N of one kind (or N red cards) within a calendar year or month → propose a kind."""

    class Counts(models.TextChoices):
        SANCTIONS = "sanctions", _("问责次数")
        RED_CARDS = "red_cards", _("红牌张数")

    class Window(models.TextChoices):
        YEAR = "year", _("自然年")
        MONTH = "month", _("自然月")

    class Subject(models.TextChoices):
        PERSON = "person", _("个人")
        AGENCY = "agency", _("单位")

    name = models.CharField(_("名称"), max_length=80)
    counts = models.CharField(_("计数对象"), max_length=10, choices=Counts.choices)
    counted_kind = models.ForeignKey(
        SanctionKind,
        verbose_name=_("计数的问责方式"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    threshold = models.PositiveSmallIntegerField(_("达到次数"))
    window = models.CharField(_("计数期间"), max_length=6, choices=Window.choices)
    subject = models.CharField(_("对象"), max_length=6, choices=Subject.choices)
    proposes = models.ForeignKey(
        SanctionKind, verbose_name=_("建议问责方式"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("累计问责规则")
        verbose_name_plural = _("累计问责规则")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=1), name="threshold_from_1"),
            models.CheckConstraint(
                condition=Q(counts="red_cards", subject="agency")
                | Q(counts="sanctions", counted_kind__isnull=False),
                name="threshold_counts_something",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SanctionProposal(models.Model):
    """A rule's proposal in the queue; a person issues it (a sanction) or dismisses it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待决定")
        ISSUED = "issued", _("已作出")
        DISMISSED = "dismissed", _("不予采纳")

    rule = models.ForeignKey(
        ThresholdRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        StaffProfile,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window_key = models.CharField(_("计数期间"), max_length=7)  # "2026" or "2026-11"
    count = models.PositiveIntegerField(_("累计数"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    proposed_at = models.DateTimeField(_("建议时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=300, blank=True)

    class Meta:
        ordering = ["state", "-proposed_at"]
        verbose_name = _("问责建议")
        verbose_name_plural = _("问责建议队列")
        constraints = [
            # A rule proposes once per subject and window, however often it is evaluated.
            models.UniqueConstraint(
                fields=["rule", "agency", "window_key"],
                condition=Q(person__isnull=True),
                name="proposal_once_per_agency",
            ),
            models.UniqueConstraint(
                fields=["rule", "person", "window_key"],
                condition=Q(person__isnull=False),
                name="proposal_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else self.agency.name
        return f"{self.rule} · {who} · {self.window_key}"
