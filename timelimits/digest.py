"""The daily digest: ONE in-app notice per person per day listing their digest-kind notices.

A notice whose kind the ``NoticePolicy`` marks ``digest`` waits as a ``DigestItem``
(``timelimits.outbox.notify``). From the day's digest time (``DigestSchedule``, data)
the beat task gathers every person's waiting items written up to that time into one
notice keyed ``digest:<date>`` — so a second run, a late run or two workers at once
send one digest a day: the items are claimed ``FOR UPDATE SKIP LOCKED``, and the key
is unique per recipient. An item written after the digest of its day waits for the
next day's.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from timelimits.models import Channel, DigestItem, DigestSchedule, Notification
from timelimits.outbox import enqueue_delivery

log = logging.getLogger(__name__)

DIGEST_KIND = "digest"
DIGEST_SUBJECT = gettext_noop("每日汇总：%(n)s 条知悉事项")
# The stored body is a plain list for mail and search; the inbox page lists the items
# themselves, each linking to its case, in the reader's language.
BODY_LINES = 50


def digest_cutoff(*, now: dt.datetime) -> dt.datetime:
    """Today's digest moment (local time) — items written up to it go into today's digest."""
    local = timezone.localtime(now)
    send_at = DigestSchedule.current().send_at
    return timezone.make_aware(dt.datetime.combine(local.date(), send_at), local.tzinfo)


def digests_compose(*, now: dt.datetime | None = None) -> int:
    """Compose today's digests if the digest time has come; returns how many were written."""
    now = now or timezone.now()
    cutoff = digest_cutoff(now=now)
    if now < cutoff:
        return 0
    day = timezone.localtime(cutoff).date()
    written = 0
    with transaction.atomic():
        waiting = (
            DigestItem.objects.select_for_update(skip_locked=True)
            .filter(digest__isnull=True, created_at__lte=cutoff)
            .order_by("recipient_id", "created_at", "id")
        )
        by_recipient: dict[int, list[DigestItem]] = defaultdict(list)
        for item in waiting:
            by_recipient[item.recipient_id].append(item)
        for recipient_id, items in by_recipient.items():
            digest = _write(recipient_id=recipient_id, items=items, day=day)
            if digest is None:
                continue  # today's digest is out already: these wait for tomorrow's
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).update(digest=digest)
            written += 1
        if written:
            enqueue_delivery()
    if written:
        log.info("digests composed", extra={"digests": written, "day": day.isoformat()})
    return written


def _write(*, recipient_id: int, items: list[DigestItem], day: dt.date) -> Notification | None:
    key = f"digest:{day.isoformat()}"
    if Notification.objects.filter(
        recipient_id=recipient_id, channel=Channel.IN_APP, dedupe_key=key
    ).exists():
        return None
    params = {"n": len(items)}
    with translation.override(settings.LANGUAGE_CODE):  # the stored text: the language of record
        subject = _(DIGEST_SUBJECT) % params
        lines = [f"· {item.subject}" for item in items[:BODY_LINES]]
        if len(items) > BODY_LINES:
            lines.append(_("……另有 %(n)s 项，请在后台查看。") % {"n": len(items) - BODY_LINES})
    try:
        with transaction.atomic():  # a concurrent run that wrote it first wins; we keep ours
            digest = Notification.objects.create(
                recipient_id=recipient_id,
                channel=Channel.IN_APP,
                subject=subject[:200],
                body="\n".join(lines),
                dedupe_key=key,
                kind=DIGEST_KIND,
                template=DIGEST_SUBJECT,
                params=params,
            )
    except IntegrityError:
        return None
    # The digest links to its own page, which lists the items each with its case's link.
    digest.link = reverse("admin:timelimits_notification_change", args=[digest.pk])
    Notification.objects.filter(pk=digest.pk).update(link=digest.link)
    return digest


@shared_task(name="timelimits.compose_digests", ignore_result=True)
def compose_digests() -> int:
    return digests_compose()
