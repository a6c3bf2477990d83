"""Which notices interrupt and which wait for the day's digest: data, for every app.

``NoticePolicy`` is one row per notice kind (seeded by migration 0009, edited in the
admin through ``timelimits.notice_config``): ``immediate`` — something the reader must
act on (a case to sign for, a 督办, a returned case) — or ``digest`` — for information
(a case was signed for, an extension was decided). ``DigestSchedule`` is the time of
day the digest is composed. A ``DigestItem`` is a digest-kind notice waiting for it;
``timelimits.digest`` gathers a person's items into ONE in-app notice a day.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NoticePolicy(models.Model):
    """通知方式规则 (notice policy): whether a kind of notice is sent at once or in the digest."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("立即通知（需要处理）")
        DIGEST = "digest", _("每日汇总（仅供知悉）")

    code = models.CharField(_("通知类型代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    delivery = models.CharField(
        _("通知方式"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("通知方式规则")
        verbose_name_plural = _("通知方式规则")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_delivery_display()}）"


class DigestSchedule(models.Model):
    """每日汇总时间 (digest time): one row; the digest of a day is composed from this time on."""

    send_at = models.TimeField(_("每日汇总时间"), default=dt.time(8, 30))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("每日汇总时间")
        verbose_name_plural = _("每日汇总时间")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="digestschedule_one_row")]

    def __str__(self) -> str:
        return _("每天 %(t)s") % {"t": self.send_at.strftime("%H:%M")}

    @classmethod
    def current(cls) -> DigestSchedule:
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class DigestItem(models.Model):
    """A digest-kind notice waiting for its recipient's next digest (then ``digest`` is set)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="digest_items",
        db_index=False,  # digestitem_once starts with it
    )
    kind = models.CharField(_("通知类型"), max_length=60)
    subject = models.CharField(_("标题"), max_length=200)
    template = models.CharField(_("标题模板"), max_length=200, blank=True)
    params = models.JSONField(_("标题参数"), blank=True, default=dict)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=160)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    digest = models.ForeignKey(
        "timelimits.Notification",
        verbose_name=_("所属汇总"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digest_items",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("汇总事项")
        verbose_name_plural = _("汇总事项")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="digestitem_once"),
        ]
        indexes = [
            # The digest run: WHERE digest_id IS NULL AND created_at <= cutoff
            models.Index(
                fields=["created_at"],
                name="digestitem_waiting",
                condition=Q(digest__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def display_subject(self) -> str:
        from timelimits.models import render_subject

        return render_subject(self.template, self.params, fallback=self.subject)
