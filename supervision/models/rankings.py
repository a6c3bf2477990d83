"""综合排名 (composite ranking): schemes as data, rankings frozen when published, outcomes as
proposals a person issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency, AgencyCategory


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class RankingScheme(models.Model):
    """排名方案 (ranking scheme): indicators with weights, the categories ranked, the period.

    A version used by a published ranking is frozen; a change is a new version
    (``scheme_revise``), so every published ranking keeps the scheme it was computed with.
    """

    code = models.SlugField(_("方案代码"), max_length=40)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=80)
    period_kind = models.CharField(_("统计周期"), max_length=10, choices=PeriodKind.choices)
    categories = models.ManyToManyField(
        AgencyCategory, verbose_name=_("参评单位类别"), related_name="+"
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("排名方案")
        verbose_name_plural = _("排名方案")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="scheme_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class SchemeIndicator(models.Model):
    """One indicator of a scheme with its weight (权重)."""

    scheme = models.ForeignKey(
        RankingScheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="weights"
    )
    indicator = models.CharField(_("指标"), max_length=60)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["scheme", "-weight", "indicator"]
        verbose_name = _("方案指标")
        verbose_name_plural = _("方案指标")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="scheme_indicator_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="scheme_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} × {self.weight}"


class OutcomeKind(models.TextChoices):
    TOP = "top", _("前 N 名")
    BOTTOM = "bottom", _("后 N 名")
    BOTTOM_TWO_YEARS = "bottom_two_years", _("连续两年后 N 名")


class OutcomeRule(models.Model):
    """An outcome of a scheme's ranking within each category (先进单位, 黄牌警告 …), proposed to a person."""

    scheme = models.ForeignKey(
        RankingScheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(_("条件"), max_length=20, choices=OutcomeKind.choices)
    count = models.PositiveSmallIntegerField(_("名次数 N"), default=3)
    label = models.CharField(_("结果"), max_length=60, help_text=_("如 先进单位、黄牌警告"))
    # The sanctions-ledger kind an issued proposal records against the agency ("" = none).
    sanction_kind = models.CharField(_("记入问责台账"), max_length=40, blank=True)

    class Meta:
        ordering = ["scheme", "kind", "id"]
        verbose_name = _("排名结果规则")
        verbose_name_plural = _("排名结果规则")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="outcome_count_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.count} → {self.label}"


class Ranking(models.Model):
    """One computation of a scheme for one period; ``version`` counts recomputations of it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被新版本取代")

    scheme = models.ForeignKey(
        RankingScheme, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="rankings"
    )
    code = models.SlugField(_("方案代码"), max_length=40)  # the scheme's, for the constraint
    period_kind = models.CharField(_("统计周期"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("统计期开始"))
    version = models.PositiveIntegerField(_("版本"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    reason = models.CharField(_("重新计算原因"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-period_start", "code", "-version"]
        verbose_name = _("综合排名")
        verbose_name_plural = _("综合排名")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "period_kind", "period_start", "version"],
                name="ranking_version_once",
            ),
            # At most one published version of a scheme's period at a time.
            models.UniqueConstraint(
                fields=["code", "period_kind", "period_start"],
                condition=Q(state="published"),
                name="ranking_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.period_key} v{self.version}"

    @property
    def period(self):
        from supervision.periods import Period

        return Period(self.period_kind, self.period_start)

    @property
    def period_key(self) -> str:
        return self.period.key


class RankingRow(models.Model):
    """One agency in a ranking: its values, scores, composite and rank (None: 样本不足)."""

    ranking = models.ForeignKey(
        Ranking, verbose_name=_("排名"), on_delete=models.CASCADE, related_name="rows"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        AgencyCategory, verbose_name=_("单位类别"), on_delete=models.PROTECT, related_name="+"
    )
    composite = models.DecimalField(
        _("综合得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    # {code: {"numerator", "denominator", "value", "score", "weight"}}; score None = not scored.
    values = models.JSONField(_("指标值"), default=dict)

    class Meta:
        ordering = ["ranking", "category", "rank", "agency"]
        verbose_name = _("排名明细")
        verbose_name_plural = _("排名明细")
        constraints = [
            models.UniqueConstraint(fields=["ranking", "agency"], name="ranking_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.rank or '—'}"


class OutcomeProposal(models.Model):
    """A proposed outcome of a published ranking for one agency, issued or dismissed by a person."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待决定")
        ISSUED = "issued", _("已作出")
        DISMISSED = "dismissed", _("不予采纳")

    ranking = models.ForeignKey(
        Ranking, verbose_name=_("排名"), on_delete=models.PROTECT, related_name="proposals"
    )
    rule = models.ForeignKey(
        OutcomeRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("结果"), max_length=60)
    rank = models.PositiveIntegerField(_("名次"))
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.PROPOSED
    )
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
        ordering = ["-ranking__period_start", "state", "rank"]
        verbose_name = _("排名结果建议")
        verbose_name_plural = _("排名结果建议")
        constraints = [
            models.UniqueConstraint(
                fields=["ranking", "rule", "agency"], name="outcome_proposed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} → {self.label}"
