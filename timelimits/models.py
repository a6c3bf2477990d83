"""The deadline engine's tables: calendar, policies, clocks, clock events, notification outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _


class WorkCalendarDay(models.Model):
    """工作日历 (working-day calendar): one row per day of every published year.

    A year is "published" when it has rows; a year without rows is computed
    provisionally (Mon–Fri minus fixed-date holidays, see ``timelimits.calendar``).
    """

    class Kind(models.TextChoices):
        WORKDAY = "workday", _("工作日")
        WEEKEND = "weekend", _("休息日")
        HOLIDAY = "holiday", _("法定节假日")
        MAKEUP = "makeup", _("调休上班")

    class Source(models.TextChoices):
        PACKAGE = "chinesecalendar", _("chinesecalendar 软件包")
        NOTICE = "notice", _("国务院办公厅通知")
        ADMIN = "admin", _("管理员修改")

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("工作日"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日名称"), max_length=40, blank=True)
    source = models.CharField(
        _("来源"), max_length=20, choices=Source.choices, default=Source.PACKAGE
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_workday=True, kind__in=["workday", "makeup"])
                | Q(is_workday=False, kind__in=["weekend", "holiday"]),
                name="calendar_kind_matches_workday",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    NATURAL_DAYS = "natural_days", _("自然日")
    HOURS = "hours", _("小时")
    IMMEDIATE = "immediate", _("即办")


class StatutoryBasis(models.TextChoices):
    NONE = "", _("无法定上限")
    XKF_ART42 = "xkf_art42", _("行政许可法第42条（20+10个工作日）")
    XKF_ART42_JOINT = "xkf_art42_joint", _("行政许可法第42条联合办理（45+15个工作日）")


class TimeLimitPolicy(models.Model):
    """时限规则 (time-limit policy) for one kind of duty and, optionally, one category.

    Local practice, so data edited in the admin; a ``statutory_basis`` caps it by law.
    """

    kind = models.CharField(_("时限类型"), max_length=60, help_text=_("如 complaint.handle"))
    category = models.CharField(
        _("类别"), max_length=40, blank=True, default="", help_text=_("留空为默认；如 urgent")
    )
    name = models.CharField(_("名称"), max_length=80)
    limit = models.PositiveIntegerField(_("时限"), default=1)
    unit = models.CharField(
        _("单位"), max_length=15, choices=Unit.choices, default=Unit.WORKING_DAYS
    )
    warn_before = models.PositiveIntegerField(
        _("提前预警"), null=True, blank=True, help_text=_("到期前多少个单位亮黄灯")
    )
    warn_fraction = models.DecimalField(
        _("按比例预警"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("已用时限达到该比例时亮黄灯，如 0.67"),
    )
    extension_limit = models.PositiveIntegerField(_("可延期时限"), default=0)
    extension_times = models.PositiveSmallIntegerField(_("可延期次数"), default=0)
    statutory_basis = models.CharField(
        _("法定依据"), max_length=20, choices=StatutoryBasis.choices, blank=True, default=""
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["kind", "category"]
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        constraints = [
            models.UniqueConstraint(fields=["kind", "category"], name="policy_one_per_kind"),
            models.CheckConstraint(
                condition=Q(warn_fraction__isnull=True)
                | Q(warn_fraction__gt=0, warn_fraction__lt=1),
                name="policy_warn_fraction_between_0_1",
            ),
        ]

    def __str__(self) -> str:
        suffix = f"/{self.category}" if self.category else ""
        return f"{self.kind}{suffix} {self.limit}{self.get_unit_display()}"


class Recipient(models.TextChoices):
    RESPONSIBLE = "responsible", _("责任人")
    UNIT_HEAD = "unit_head", _("单位负责人")
    OFFICE = "office", _("效能办")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class EscalationStep(models.Model):
    """One rung of a policy's 督办 ladder: how long after the due time, who hears, what is proposed."""

    policy = models.ForeignKey(
        TimeLimitPolicy, verbose_name=_("时限规则"), on_delete=models.CASCADE, related_name="steps"
    )
    level = models.PositiveSmallIntegerField(_("级别"))
    delay = models.PositiveIntegerField(_("超期后"), default=0)
    delay_unit = models.CharField(
        _("单位"),
        max_length=15,
        choices=[(Unit.WORKING_DAYS, _("工作日")), (Unit.HOURS, _("小时"))],
        default=Unit.WORKING_DAYS,
    )
    notify = ArrayField(
        models.CharField(max_length=20, choices=Recipient.choices),
        verbose_name=_("通知对象"),
        default=list,
    )
    channels = ArrayField(
        models.CharField(max_length=10, choices=Channel.choices),
        verbose_name=_("通知方式"),
        default=list,
    )
    proposal = models.CharField(_("建议措施"), max_length=80, help_text=_("如 督办通知、通报批评"))

    class Meta:
        ordering = ["policy", "level"]
        verbose_name = _("督办阶梯")
        verbose_name_plural = _("督办阶梯")
        constraints = [
            models.UniqueConstraint(fields=["policy", "level"], name="step_one_per_level"),
            models.CheckConstraint(condition=Q(level__gte=1), name="step_level_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.policy.kind} L{self.level} {self.proposal}"


class Deadline(models.Model):
    """One running clock (时限) over a subject: a complaint, an application, a rectification…

    ``warn_at``, ``due_at`` and ``escalate_at`` are derived from the start, the
    policy, the pauses and extensions and the calendar (``timelimits.clock``), so
    they can always be recomputed; ``next_action_at`` is the earliest of them
    still ahead, or NULL when nothing is pending (paused, stopped, top of the ladder).
    """

    class State(models.TextChoices):
        RUNNING = "running", _("计时中")
        PAUSED = "paused", _("暂停")
        MET = "met", _("按时办结")
        MISSED = "missed", _("超时办结")
        CANCELLED = "cancelled", _("已撤销")

    class Light(models.TextChoices):
        GREEN = "green", _("绿灯")
        YELLOW = "yellow", _("黄灯")
        RED = "red", _("红灯")

    # FK indexes are left out where a composite index starts with the column: every index
    # costs the sweep one more insertion per updated row (see the benchmark in README).
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    subject_id = models.PositiveBigIntegerField(_("对象编号"))
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("时限类型"), max_length=60)
    category = models.CharField(_("类别"), max_length=40, blank=True, default="")
    # Unindexed: only a policy edit looks clocks up by policy (a rare, admin-side scan).
    policy = models.ForeignKey(
        TimeLimitPolicy,
        verbose_name=_("时限规则"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="deadlines",
        db_index=False,  # deadline_agency_light starts with it
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines",
    )
    unit = models.CharField(_("单位"), max_length=15, choices=Unit.choices)
    limit = models.PositiveIntegerField(_("时限"))
    extended_by = models.PositiveIntegerField(_("已延期"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    # [{"from": iso, "to": iso | null, "reason": str}]; the last one is open while paused.
    pauses = models.JSONField(_("暂停记录"), default=list, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("到期时间"))
    escalate_at = ArrayField(
        models.DateTimeField(), verbose_name=_("督办时间"), default=list, blank=True
    )
    next_action_at = models.DateTimeField(_("下次处理时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.RUNNING)
    light = models.CharField(_("灯色"), max_length=6, choices=Light.choices, default=Light.GREEN)
    escalation_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    provisional = models.BooleanField(
        _("暂定"), default=False, help_text=_("到期日落在尚未公布放假安排的年份")
    )
    stopped_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    used = models.IntegerField(_("已用时限"), null=True, blank=True)
    remaining = models.IntegerField(_("剩余时限"), null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["running", "paused", "met", "missed", "cancelled"]),
                name="deadline_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(light__in=["green", "yellow", "red"]), name="deadline_light_valid"
            ),
            # A subject holds several clocks, but one open clock of each kind.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=Q(state__in=["running", "paused"]),
                name="deadline_one_open_per_kind",
            ),
            # A stopped or paused clock has nothing pending for the sweep.
            models.CheckConstraint(
                condition=Q(state="running") | Q(next_action_at__isnull=True),
                name="deadline_only_running_is_swept",
            ),
        ]
        indexes = [
            # The sweep: WHERE next_action_at <= now() ORDER BY next_action_at LIMIT n
            # FOR UPDATE SKIP LOCKED. Only rows with something pending are indexed, so
            # a sweep with nothing due is one probe however many clocks exist.
            models.Index(
                fields=["next_action_at"],
                name="deadline_next_action",
                condition=Q(next_action_at__isnull=False),
            ),
            # deadline_current: WHERE subject_type_id = … AND subject_id = … [AND kind = …]
            # (a subject has a handful of clocks; kind is filtered after the probe).
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject"),
            # Recompute on calendar load: WHERE provisional AND state IN ('running','paused')
            models.Index(
                fields=["id"],
                name="deadline_provisional_open",
                condition=Q(provisional=True, state__in=["running", "paused"]),
            ),
            # Admin lists and dashboards: open clocks of one agency by light.
            models.Index(fields=["agency", "state", "light"], name="deadline_agency_light"),
            # The dashboard's overdue list (supervision.selectors.red_clocks_now):
            # WHERE light = 'red' AND state IN ('running','paused') ORDER BY due_at LIMIT 50.
            # Only the clocks red now are in it, in due order; the sweep pays an entry only
            # when a clock turns red.
            models.Index(
                fields=["due_at"],
                name="deadline_red_open_due",
                condition=Q(light="red", state__in=["running", "paused"]),
            ),
        ]

    def __str__(self) -> str:
        from timelimits.labels import kind_label  # late: the labels module reads these models

        return f"{kind_label(self.kind)} · {self.get_light_display()}"


class DeadlineEvent(models.Model):
    """An append-only clock event; 按时签收率 / 按时办结率 are recomputed from these alone."""

    class Type(models.TextChoices):
        START = "start", _("开始")
        PAUSE = "pause", _("暂停")
        RESUME = "resume", _("恢复")
        EXTEND = "extend", _("延期")
        WARN = "warn", _("亮黄灯")
        OVERDUE = "overdue", _("亮红灯")
        ESCALATE = "escalate", _("督办升级")
        RECOMPUTE = "recompute", _("重新计算")
        REASSIGN = "reassign", _("转交责任人")
        STOP = "stop", _("结束")

    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("时限"),
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # deadline_event_lookup starts with it
    )
    type = models.CharField(_("事件"), max_length=10, choices=Type.choices)
    # When it took effect (a late sweep records the moment the light was due to change).
    at = models.DateTimeField(_("生效时间"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # events are read per clock, never per actor
    )
    light = models.CharField(_("灯色"), max_length=6, blank=True, default="")
    level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("时限事件")
        verbose_name_plural = _("时限事件")
        indexes = [models.Index(fields=["deadline", "at"], name="deadline_event_lookup")]

    def __str__(self) -> str:
        return f"{localtime(self.at):%Y-%m-%d %H:%M} {self.get_type_display()}"


class Notification(models.Model):
    """通知发件箱 (notification outbox): written with the change it announces, delivered by a task.

    ``dedupe_key`` makes "no repeated notice for an unchanged state" a constraint:
    the same key to the same person on the same channel is written once.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    # A staff member (any channel), or — for people without an account, such as a
    # complainant — a phone number (SMS) or an e-mail address (e-mail): exactly one.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_once starts with it
    )
    # DB defaults: the sweep inserts its notices in raw SQL.
    to_phone = models.CharField(
        _("接收手机号"), max_length=20, blank=True, default="", db_default=""
    )
    to_email = models.EmailField(
        _("接收邮箱"), max_length=254, blank=True, default="", db_default=""
    )
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=160)
    # What the notice is about (a ``NoticePolicy`` code, e.g. "complaint.routed"): the policy
    # says whether it is sent at once or goes into the day's digest. Empty: sent at once.
    kind = models.CharField(_("通知类型"), max_length=60, blank=True, default="", db_default="")
    # The untranslated subject and its values: the inbox renders the subject in the reader's
    # language; ``subject`` keeps the Chinese text (mail, SMS, search). Empty: ``subject``.
    template = models.CharField(
        _("标题模板"), max_length=200, blank=True, default="", db_default=""
    )
    params = models.JSONField(_("标题参数"), blank=True, default=dict, db_default={})
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            # NULLs are distinct in a unique index, so this one only dedupes rows to a
            # user; rows to an address (recipient NULL) are deduped by the next one.
            models.UniqueConstraint(
                fields=["recipient", "channel", "dedupe_key"], name="notification_once"
            ),
            models.UniqueConstraint(
                fields=["channel", "dedupe_key", "to_phone", "to_email"],
                condition=Q(recipient__isnull=True),
                name="notification_once_to_address",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, to_phone="", to_email="")
                | Q(recipient__isnull=True, channel="sms", to_email="") & ~Q(to_phone="")
                | Q(recipient__isnull=True, channel="email", to_phone="") & ~Q(to_email=""),
                name="notification_one_kind_of_recipient",
            ),
        ]
        indexes = [
            # Delivery: WHERE state IN ('pending','sending') ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED
            models.Index(
                fields=["id"],
                name="notification_undelivered",
                condition=Q(state__in=["pending", "sending"]),
            ),
            # Inbox badge: WHERE recipient_id = … AND channel = 'in_app' AND read_at IS NULL
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=Q(channel="in_app", read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_label()}: {self.display_subject()}"

    def display_subject(self) -> str:
        """The subject in the active language when it was written from a template."""
        return render_subject(self.template, self.params, fallback=self.subject)

    def recipient_label(self) -> str:
        """Who it goes to, with a phone number or e-mail address masked (never shown whole)."""
        from common.masking import mask_email, mask_phone

        if self.to_phone:
            return mask_phone(self.to_phone)
        if self.to_email:
            return mask_email(self.to_email)
        return str(self.recipient)


def render_subject(template: str, params: dict, *, fallback: str) -> str:
    from django.utils.translation import gettext

    if not template:
        return fallback
    params = dict(params or {})
    # Values named in "_t" are labels (a status, say) kept untranslated: shown translated too.
    for name in params.pop("_t", ()):
        if isinstance(params.get(name), str):
            params[name] = gettext(params[name])
    try:
        return gettext(template) % params
    except (KeyError, TypeError, ValueError):  # a template changed since: keep what was sent
        return fallback


class OutboxEntry(Notification):
    """The whole outbox as the system administrators monitor delivery (admin: 通知发件箱)."""

    class Meta:
        proxy = True
        ordering = ["-id"]
        verbose_name = _("通知发件箱")
        verbose_name_plural = _("通知发件箱")


# The notice policy (immediate or digest) and the digest's items, beside the outbox.
from timelimits.notice_models import DigestItem, DigestSchedule, NoticePolicy  # noqa: E402, F401
