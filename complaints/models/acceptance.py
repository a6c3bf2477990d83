"""A complaint another system handed over through the API, accepted before it is filed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models.case import Complaint


class AcceptedFiling(models.Model):
    """接收登记 (an API filing accepted): number and code given, the complaint filed by a worker.

    Acceptance is one INSERT (``complaints.acceptance``); a worker then files it through
    ``complaints.services.complaint_file`` with the same tracking number, submission
    time and query code, and clears ``payload`` (which holds the complainant's identity).
    """

    # Unique by a constraint, not unique=True: that would add a LIKE index nobody reads,
    # one more index to write on every acceptance.
    tracking_no = models.CharField(_("投诉编号"), max_length=32)
    query_code_hash = models.CharField(_("查询码摘要"), max_length=100)
    submission_key_hash = models.CharField(_("幂等键摘要"), max_length=64, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接入系统账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payload = models.JSONField(_("待立案内容"), default=dict, blank=True)
    received_at = models.DateTimeField(_("接收时间"))
    expected_by = models.DateField(_("预计办结日期"))
    # One filing per complaint, by a partial constraint: a row is accepted without one,
    # and only filed rows need to be in its index.
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("投诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accepted_filings",
        db_index=False,
    )
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("立案尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口投诉接收登记")
        verbose_name_plural = _("接口投诉接收登记")
        constraints = [
            models.UniqueConstraint(fields=["tracking_no"], name="accepted_filing_number_once"),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(complaint__isnull=False),
                name="accepted_filing_complaint_once",
            ),
            models.UniqueConstraint(
                fields=["submission_key_hash"],
                condition=~Q(submission_key_hash=""),
                name="accepted_filing_key_once",
            ),
            models.CheckConstraint(
                condition=Q(complaint__isnull=True) | Q(next_attempt_at__isnull=True),
                name="accepted_filing_filed_is_not_scheduled",
            ),
            # A row neither filed nor scheduled would wait for ever, unseen by the worker.
            models.CheckConstraint(
                condition=Q(complaint__isnull=False) | Q(next_attempt_at__isnull=False),
                name="accepted_filing_unfiled_is_scheduled",
            ),
        ]
        indexes = [
            # The filing run: SELECT … WHERE next_attempt_at <= now() ORDER BY next_attempt_at
            # … FOR UPDATE SKIP LOCKED; only rows still waiting are in the index.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(next_attempt_at__isnull=False),
                name="accepted_filing_waiting",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_no
