"""The notification outbox: write rows with the change they announce, deliver after commit.

``notify`` (to a user) and ``notify_address`` (to a phone number or e-mail address) are re-exported by ``timelimits.services``, the interface other apps use.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations.audit import audit
from timelimits.delivery import (
    DELIVERY_QUEUED_SECONDS,
    deliver_notifications,
    delivery_queued_key,
)
from timelimits.models import Channel, DigestItem, NoticePolicy, Notification

log = logging.getLogger(__name__)


def alert_unpublished_calendar(*, year: int) -> None:
    """Tell the system administrators, once per year, that clocks are computed provisionally."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from organizations.roles import Role

    key = f"calendar:unpublished:{year}"
    if Notification.objects.filter(dedupe_key=key).exists():
        return
    admins = (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=Role.SYSADMIN), is_active=True)
        .distinct()
    )
    for admin in admins:
        notify(
            recipient=admin,
            subject=_("%(year)s 年放假安排尚未载入，相关时限为暂定") % {"year": year},
            body=_(
                "有时限的到期日落在 %(year)s 年，而该年的国务院放假安排尚未载入工作日历。"
                "系统暂按周一至周五（除固定日期节假日）计算，并标记为“暂定”。"
                "请在通知发布后运行 manage.py load_calendar --year %(year)s 文件名。"
            )
            % {"year": year},
            channels=[Channel.IN_APP, Channel.EMAIL],
            dedupe_key=key,
            link="/admin/timelimits/workcalendarday/",
        )


def notify(
    *,
    recipient,
    subject: str,
    body: str = "",
    channels: Iterable[str] = (Channel.IN_APP,),
    dedupe_key: str,
    link: str = "",
    kind: str = "",
    template: str = "",
    params: dict | None = None,
) -> None:
    """Write outbox rows (one per channel) and deliver them after commit.

    A (recipient, channel, dedupe_key) already in the outbox is not written again,
    so announcing an unchanged state twice sends nothing. ``kind`` names the notice
    (a ``NoticePolicy`` code): a digest kind is kept for the recipient's daily digest
    instead (``timelimits.digest``); an unknown or empty kind is sent at once — a
    notice is never lost for want of a policy row. ``template`` and ``params`` let
    the inbox show the subject in the reader's language (``subject`` is what was sent).
    """
    if recipient is None:
        return
    channels = list(dict.fromkeys(channels))
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        raise ApplicationError(
            _("未知的通知方式：%(c)s。") % {"c": ", ".join(unknown)}, code="bad_channel"
        )
    params = params or {}
    if kind and delivery_of(kind) == NoticePolicy.Delivery.DIGEST:
        DigestItem.objects.bulk_create(
            [
                DigestItem(
                    recipient=recipient,
                    kind=kind[:60],
                    subject=subject[:200],
                    template=template[:200],
                    params=params,
                    link=link,
                    dedupe_key=dedupe_key[:160],
                )
            ],
            ignore_conflicts=True,
        )
        return
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=recipient,
                channel=channel,
                subject=subject[:200],
                body=body,
                link=link,
                dedupe_key=dedupe_key[:160],
                kind=kind[:60],
                template=template[:200],
                params=params,
            )
            for channel in channels
        ],
        ignore_conflicts=True,
    )
    enqueue_delivery()


def delivery_of(kind: str) -> str:
    """``immediate`` or ``digest`` for a notice kind (immediate when no policy names it)."""
    found = NoticePolicy.objects.filter(code=kind).values_list("delivery", flat=True).first()
    return found or NoticePolicy.Delivery.IMMEDIATE


def notify_address(
    *,
    phone: str = "",
    email: str = "",
    subject: str,
    body: str = "",
    dedupe_key: str,
) -> None:
    """Write outbox rows to someone without an account: an SMS to ``phone``, an e-mail to ``email``.

    Same transaction, same delivery task, same idempotency as ``notify``: a rolled-back
    change writes no row, and a broker that is down at commit only delays the notice
    until the periodic delivery run. (phone or e-mail, channel, dedupe_key) is written once.
    """
    rows = [
        Notification(
            channel=channel,
            to_phone=to_phone,
            to_email=to_email,
            subject=subject[:200],
            body=body,
            dedupe_key=dedupe_key[:160],
        )
        for channel, to_phone, to_email in (
            (Channel.SMS, (phone or "").strip(), ""),
            (Channel.EMAIL, "", (email or "").strip()),
        )
        if to_phone or to_email
    ]
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    enqueue_delivery()


def publish_delivery() -> None:
    """Publish one delivery run (the task lives in ``timelimits.delivery``, beside its work)."""
    deliver_notifications.delay()


def enqueue_delivery() -> None:
    """Ask a worker to deliver the outbox once the current transaction commits.

    Commits made before a queued run starts share it (a Redis ``SET NX`` flag the run
    clears before reading): one run drains every pending row anyway.
    """

    def _send() -> None:
        key = delivery_queued_key()
        try:
            if not cache.add(key, 1, timeout=DELIVERY_QUEUED_SECONDS):
                return  # a run is queued and has not started reading yet: it will see this row
            publish_delivery()
        except Exception:  # the broker is down: the periodic delivery run catches up
            cache.delete(key)
            log.warning("could not enqueue notification delivery", exc_info=True)

    transaction.on_commit(_send)


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's own in-app notices read (a POST: opening a notice changes nothing).

    ``ids=None`` marks all of them (全部标为已读). Another person's ids are ignored.
    One audit row lists the notices marked read.
    """
    unread = Notification.objects.filter(
        recipient_id=user.pk, channel=Channel.IN_APP, read_at__isnull=True
    )
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = sorted(unread.values_list("pk", flat=True))
    if not marked:
        return 0
    count = Notification.objects.filter(pk__in=marked, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    audit(actor=user, verb="notification.read", subject=user, data={"notifications": marked})
    return count


@transaction.atomic
def notification_open(*, user, pk: int) -> Notification:
    """Open one of the user's own notices: it is marked read; the caller goes to its link.

    Someone else's notice (or an e-mail/SMS row) is not found — the same answer as a
    notice that does not exist, so ids reveal nothing.
    """
    notice = Notification.objects.filter(
        pk=pk, recipient_id=user.pk, channel=Channel.IN_APP
    ).first()
    if notice is None:
        raise ApplicationError(_("没有这条通知。"), code="notice_not_found")
    notifications_mark_read(user=user, ids=[notice.pk])
    notice.refresh_from_db(fields=["read_at"])
    return notice
