"""The rollup: figures per agency × day × indicator, the month level summed from it, and the
figures of "now" (red clocks, open 督办) per agency; plus the refresh's watermarks and runs.

Nothing here is edited by hand: ``supervision.rollup`` rebuilds the rows of the days
and agencies that changed. ``IndicatorSetting`` is the one editable row per indicator
(its minimum sample), seeded from the apps' declarations.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency


class IndicatorSetting(models.Model):
    """指标设置 (indicator setting): the numbers of one declared indicator that are local practice."""

    code = models.CharField(_("指标代码"), max_length=60, unique=True)
    # Below this sample (the rate's denominator) an agency is not scored on the indicator.
    min_sample = models.PositiveIntegerField(_("最少样本数"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("指标设置")
        verbose_name_plural = _("指标设置")

    def __str__(self) -> str:
        return self.code


class _Figure(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.CharField(_("指标"), max_length=60)
    # A breakdown inside the indicator (the clock kind of a card); "" when there is none.
    part = models.CharField(_("分项"), max_length=60, blank=True, default="")
    numerator = models.BigIntegerField(_("分子"), default=0)
    denominator = models.BigIntegerField(_("分母"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.indicator} {self.agency_id} {self.part}".rstrip()


class FigureDay(_Figure):
    """One agency's figure of one indicator on one day (a count, or a rate's two parts)."""

    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("日统计")
        verbose_name_plural = _("日统计")
        constraints = [
            # Also the refresh's delete and the month sum: WHERE indicator = … AND day …
            models.UniqueConstraint(
                fields=["indicator", "day", "agency", "part"], name="figure_day_once"
            ),
        ]


class FigureMonth(_Figure):
    """The days of one month summed: a quarter or a year for 1,000 agencies reads ≈ 10⁴–10⁵ rows."""

    month = models.DateField(_("月份"))  # the first day of the month

    class Meta:
        verbose_name = _("月统计")
        verbose_name_plural = _("月统计")
        constraints = [
            # The dashboard: WHERE indicator IN (…) AND month BETWEEN … [AND agency_id IN …]
            models.UniqueConstraint(
                fields=["indicator", "month", "agency", "part"], name="figure_month_once"
            ),
        ]
        indexes = [
            # One agency's page and its trend: WHERE agency_id = … AND month BETWEEN …
            models.Index(fields=["agency", "month"], name="figure_month_agency"),
        ]


class FigureNow(_Figure):
    """A figure of the present moment (red clocks now, open 督办), recounted for touched agencies."""

    class Meta:
        verbose_name = _("实时统计")
        verbose_name_plural = _("实时统计")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "agency", "part"], name="figure_now_once"),
        ]


class RollupWatermark(models.Model):
    """How far the refresh has read one append-only source table of one app's indicators.

    ``last_id`` is the highest id seen; the next run reads from ``previous_id`` (the
    run before's high-water), so a row whose transaction committed just after a run
    read past its id is still seen once more.
    """

    source = models.CharField(_("来源"), max_length=120, unique=True)
    last_id = models.BigIntegerField(_("已读至"), default=0)
    previous_id = models.BigIntegerField(_("上次读至"), default=0)
    moved_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("统计水位")
        verbose_name_plural = _("统计水位")

    def __str__(self) -> str:
        return f"{self.source} @ {self.last_id}"


class RollupRun(models.Model):
    """One refresh of the rollup: what it recomputed (an append-only record for operators)."""

    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"))
    full = models.BooleanField(_("全量重建"), default=False)
    days = models.PositiveIntegerField(_("重算天数"), default=0)
    agencies = models.PositiveIntegerField(_("重算单位数"), default=0)
    rows = models.PositiveIntegerField(_("写入行数"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("统计刷新记录")
        verbose_name_plural = _("统计刷新记录")
        indexes = [
            # /healthz and the dashboard's "refreshed at": ORDER BY finished_at DESC LIMIT 1
            # (a run a minute is half a million rows a year).
            models.Index(fields=["-finished_at"], name="rollup_run_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.days}d {self.rows}"
