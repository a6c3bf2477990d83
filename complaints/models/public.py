"""The public face (效能服务连心网): its policy row and the monthly statistics rollup."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency


class PublicPolicy(models.Model):
    """Numbers of the public pages: one row (pk=1) seeded by a migration, editable in the admin."""

    # Public rankings show no rate computed from fewer cases than this (small samples mislead).
    ranking_min_cases = models.PositiveIntegerField(_("排名最少案件数"), default=30)
    # Duplicate suggestions: character-bigram Dice similarity (0–1) a complaint must reach.
    duplicate_min_score = models.FloatField(_("相似投诉最低相似度"), default=0.2)
    # Only the most recent open complaints against the agency are compared (bounds the work).
    duplicate_candidates = models.PositiveIntegerField(_("相似投诉比对数量"), default=500)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("办理公开设置")
        verbose_name_plural = _("办理公开设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duplicate_min_score__gt=0, duplicate_min_score__lte=1),
                name="public_policy_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("办理公开设置"))

    @classmethod
    def current(cls) -> PublicPolicy:
        return cls.objects.order_by("pk").first() or cls()


class AgencyMonthStats(models.Model):
    """Rollup: complaints against one agency submitted in one month (a cohort), refreshed by a task.

    The public statistics page reads only this table, so it stays fast however many
    complaints exist (``complaints.stats.stats_refresh`` rebuilds a month set-based).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("被投诉单位"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))  # the first day of the month
    received = models.PositiveIntegerField(_("受理量"), default=0)
    concluded = models.PositiveIntegerField(_("办结量"), default=0)
    # Handling clocks (complaint.handle, one per handling round) by how they stand.
    on_time = models.PositiveIntegerField(_("按时办结"), default=0)  # stopped in time (met)
    late = models.PositiveIntegerField(_("超时办结"), default=0)  # stopped after the due time
    overdue = models.PositiveIntegerField(_("超期未办结"), default=0)  # open, past due at refresh
    # Ratings, one per rated handling round (a reopened case may have two).
    rated = models.PositiveIntegerField(_("评价数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意及基本满意"), default=0)
    refreshed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("投诉月度统计")
        verbose_name_plural = _("投诉月度统计")
        constraints = [
            # Also serves the page: WHERE month BETWEEN … [AND agency_id = …]
            models.UniqueConstraint(fields=["month", "agency"], name="agency_month_stats_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}"
