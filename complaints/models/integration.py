"""接入账号 (integration account): another system that files complaints (REST API, Open311 ``api_key``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency


class IntegrationAccount(models.Model):
    """The account of one connected system: a user without admin login, holding one API token.

    Made, rotated and revoked by the office or a system administrator
    (``complaints.integrations.accounts``; admin 接入账号, ``manage.py integration_account``).
    The token is shown once, when made or rotated. ``last_used_at`` is telemetry,
    written at most once a minute (``integration_account_seen``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        related_name="integration_account",
    )
    name = models.CharField(_("接入系统名称"), max_length=80)
    # With an agency the account reads what that agency may see; without, it only files.
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rotated_at = models.DateTimeField(_("最近更换密钥时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("停用人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("接入账号")
        verbose_name_plural = _("接入账号")

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
