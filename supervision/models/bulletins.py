"""通报 (bulletins): drafted per period on a schedule, edited and published by the office,
public once published (HTML and PDF)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Bulletin(models.Model):
    """One bulletin of one period (a week by default); the drafting job never makes a second."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    period_kind = models.CharField(_("周期"), max_length=10, default="week")
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))  # the last day of the period
    title = models.CharField(_("标题"), max_length=120)
    summary = models.TextField(_("导语"), blank=True, max_length=5000)
    # The figures of the period when drafted (ranking, overdue cases, upheld complaints,
    # inspection findings, sanctions), anonymised: what the page and the PDF print.
    content = models.JSONField(_("内容"), default=dict)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    drafted_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编辑人"),
        null=True,
        blank=True,
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
        ordering = ["-period_start"]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start"], name="bulletin_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="bulletin_period_in_order",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-published_at"],
                name="bulletin_published",
                condition=models.Q(state="published"),
            )
        ]

    def __str__(self) -> str:
        return self.title
