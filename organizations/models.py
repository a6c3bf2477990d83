"""Agencies (a tree with a category), staff profiles, role scopes, key posts, duty boards."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _english_page() -> bool:
    return (get_language() or "").startswith("en")


class AgencyCategory(models.Model):
    """单位类别 (agency category): 党政机关, 政府部门, 窗口服务单位 … — data, not code."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("单位类别")
        verbose_name_plural = _("单位类别")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The English name on English pages when there is one, else the Chinese name."""
        return self.name_en if self.name_en and _english_page() else self.name


class Agency(models.Model):
    """机关单位 (agency). ``path`` is the materialised tree path used for sub-agency scoping."""

    code = models.CharField(_("机构代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    # The name in 拼音 (organizations.pinyin), written by the agency services: lists sort by
    # it (长沙 before 市…), on any PostgreSQL, with or without ICU.
    name_pinyin = models.CharField(
        _("名称拼音"), max_length=400, blank=True, default="", db_default="", editable=False
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    category = models.ForeignKey(
        AgencyCategory, verbose_name=_("单位类别"), on_delete=models.PROTECT
    )
    # "/1/7/42/": ancestors' ids and its own; descendants are path LIKE '/1/7/42/%'.
    path = models.CharField(_("树路径"), max_length=255, editable=False, db_index=True, default="")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        indexes = [
            # Descendant lookups: WHERE path LIKE '/1/7/%'
            models.Index(
                fields=["path"], name="agency_path_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The English name on English pages when there is one, else the Chinese name."""
        return self.name_en if self.name_en and _english_page() else self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)


class RoleScope(models.Model):
    """How far a role (a Django group) sees: its own agency, with sub-agencies, or everything."""

    class Scope(models.TextChoices):
        OWN = "own", _("本单位")
        OWN_AND_SUB = "subtree", _("本单位及下属单位")
        ALL = "all", _("全部单位")

    group = models.OneToOneField(
        Group, verbose_name=_("角色"), on_delete=models.CASCADE, related_name="scope"
    )
    scope = models.CharField(_("可见范围"), max_length=10, choices=Scope.choices, default=Scope.OWN)

    class Meta:
        verbose_name = _("角色可见范围")
        verbose_name_plural = _("角色可见范围")

    def __str__(self) -> str:
        return f"{self.group.name}: {self.get_scope_display()}"


class RoleDefaultPermission(models.Model):
    """A default permission the portal has given a role once (``organizations.roles``).

    After every ``migrate`` a role receives the defaults it was never given — those
    of a new app or a new feature — and nothing else: a default an administrator
    took away stays away, and what they added stays. ``manage.py check --database
    default`` reports roles that differ from their defaults (organizations.W001).
    """

    group = models.ForeignKey(
        Group, verbose_name=_("角色"), on_delete=models.CASCADE, related_name="+"
    )
    permission = models.ForeignKey(
        "auth.Permission", verbose_name=_("权限"), on_delete=models.CASCADE, related_name="+"
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色默认权限")
        verbose_name_plural = _("角色默认权限")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "permission"], name="role_default_granted_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.permission_id}"


class StaffProfile(models.Model):
    """工作人员 (staff member): the agency a user belongs to and how to reach them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="staff"
    )
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("岗位"), max_length=80, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    is_unit_head = models.BooleanField(_("单位负责人"), default=False)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.name}（{self.agency.short_name or self.agency.name}）"


class KeyPost(models.Model):
    """关键岗位公示 (key post): a post with power over citizens, published with how to complain."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="key_posts"
    )
    title = models.CharField(_("岗位名称"), max_length=80)
    holder = models.ForeignKey(
        StaffProfile, verbose_name=_("在岗人员"), null=True, blank=True, on_delete=models.SET_NULL
    )
    duties = models.TextField(_("岗位职责"))
    powers = models.TextField(_("主要权力"))
    complaint_channel = models.TextField(_("投诉渠道"), help_text=_("如何对该岗位提出投诉"))
    is_published = models.BooleanField(_("公示"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["agency", "order", "id"]
        verbose_name = _("关键岗位")
        verbose_name_plural = _("关键岗位公示")

    def __str__(self) -> str:
        return f"{self.agency} · {self.title}"


class DutyStatus(models.Model):
    """今日在岗公示牌 (on-duty board): one staff member's status on one day."""

    class Status(models.TextChoices):
        ON_DUTY = "on_duty", _("在岗")
        TRAVEL = "travel", _("出差")
        MEETING = "meeting", _("开会")
        RESEARCH = "research", _("调研")
        LEAVE = "leave", _("请假")

    staff = models.ForeignKey(
        StaffProfile, verbose_name=_("工作人员"), on_delete=models.CASCADE, related_name="duty"
    )
    # Denormalised from staff.agency for the public board and for scoping.
    agency = models.ForeignKey(
        Agency, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="duty"
    )
    date = models.DateField(_("日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ON_DUTY
    )
    note = models.CharField(_("说明"), max_length=120, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["agency", "staff__name"]
        verbose_name = _("在岗状态")
        verbose_name_plural = _("今日在岗公示")
        constraints = [
            models.UniqueConstraint(fields=["staff", "date"], name="duty_one_status_per_day")
        ]
        indexes = [models.Index(fields=["agency", "date"], name="duty_board_lookup")]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.date} {self.get_status_display()}"


class AuditEvent(models.Model):
    """An append-only audit row: who did what to which record (a DB trigger forbids edits)."""

    occurred_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    # PROTECT: audit rows cannot be rewritten, so their user and agency cannot be deleted (deactivate them).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(_("操作"), max_length=60)
    subject_type = models.CharField(_("对象类型"), max_length=60)
    subject_id = models.CharField(_("对象编号"), max_length=40)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject")]

    def __str__(self) -> str:
        return f"{localtime(self.occurred_at):%Y-%m-%d %H:%M} {self.verb} {self.subject_type}#{self.subject_id}"
