"""The sweep: turn lights and climb the 督办 ladder for every clock whose next moment has come.

Steps of one batch (one transaction):
1. claim up to ``batch`` rows with ``next_action_at <= now`` through the partial
   index ``deadline_next_action``, ``FOR UPDATE SKIP LOCKED`` — a concurrent sweep
   takes other rows or none, never the same ones;
2. compute each row's new light, level and next moment in SQL and UPDATE them in
   the same statement (a late sweep jumps straight to the right state);
3. INSERT one event per transition passed (yellow, red, each ladder level), dated
   when it was due, from the UPDATE's RETURNING rows — still the same statement;
4. write the notices for the *final* state only (no flood after a late sweep):
   personal notices to the responsible person, one digest per unit head / 效能办
   member and channel for the whole batch, delivered after commit.
A sweep killed mid-batch rolls the batch back; the rows keep their old
``next_action_at`` and the next sweep does the work. The batch loop stops at the
first empty batch, so ``now`` is fixed at the start and the sweep terminates.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import StaffProfile
from organizations.roles import Role
from timelimits.models import Channel, EscalationStep, Recipient, TimeLimitPolicy
from timelimits.outbox import enqueue_delivery

log = logging.getLogger(__name__)

# One statement: claim, update, and record the events of one batch.
SWEEP_SQL = """
WITH claimed AS (
    SELECT d.id, d.light AS old_light, d.escalation_level AS old_level,
           d.warn_at, d.due_at, d.escalate_at
    FROM timelimits_deadline d
    WHERE d.next_action_at <= %(now)s
    ORDER BY d.next_action_at
    LIMIT %(batch)s
    FOR UPDATE SKIP LOCKED
), lit AS (
    SELECT c.*,
        CASE WHEN c.due_at <= %(now)s OR c.old_light = 'red' THEN 'red'
             WHEN c.warn_at <= %(now)s OR c.old_light = 'yellow' THEN 'yellow'
             ELSE 'green' END AS new_light,
        GREATEST(c.old_level,
                 (SELECT count(*) FROM unnest(c.escalate_at) t WHERE t <= %(now)s))::smallint
            AS new_level
    FROM claimed c
), planned AS (
    SELECT l.*,
        (SELECT min(t) FROM unnest(
            ARRAY[CASE WHEN l.new_light = 'green' THEN l.warn_at END,
                  CASE WHEN l.new_light <> 'red' THEN l.due_at END]
            || l.escalate_at[l.new_level + 1:]) t) AS next_at
    FROM lit l
), moved AS (
    UPDATE timelimits_deadline d
    SET light = p.new_light, escalation_level = p.new_level, next_action_at = p.next_at
    FROM planned p
    WHERE d.id = p.id
    RETURNING d.id, d.kind, d.subject_id, d.agency_id, d.responsible_id, d.policy_id,
              p.old_light, p.new_light, p.old_level, p.new_level, d.warn_at, d.due_at,
              d.escalate_at
), events AS (
    INSERT INTO timelimits_deadlineevent (deadline_id, type, at, recorded_at, light, level, data)
    SELECT m.id, 'warn', m.warn_at, now(), 'yellow', m.old_level, '{"by": "sweep"}'::jsonb
    FROM moved m
    WHERE m.old_light = 'green' AND m.new_light <> 'green' AND m.warn_at IS NOT NULL
    UNION ALL
    SELECT m.id, 'overdue', m.due_at, now(), 'red', m.old_level, '{"by": "sweep"}'::jsonb
    FROM moved m
    WHERE m.old_light <> 'red' AND m.new_light = 'red'
    UNION ALL
    SELECT m.id, 'escalate', m.escalate_at[k], now(), 'red', k,
           jsonb_build_object('by', 'sweep', 'proposal', s.proposal)
    FROM moved m
    CROSS JOIN LATERAL generate_series(m.old_level + 1, m.new_level) AS k
    LEFT JOIN timelimits_escalationstep s ON s.policy_id = m.policy_id AND s.level = k
    RETURNING 1
)
SELECT m.id, m.kind, m.subject_id, m.agency_id, m.responsible_id, m.policy_id,
       m.old_light, m.new_light, m.old_level, m.new_level, m.due_at,
       (SELECT count(*) FROM events) AS event_count
FROM moved m
"""

NOTIFY_SQL = """
INSERT INTO timelimits_notification
    (recipient_id, channel, subject, body, link, dedupe_key, state, attempts, last_error,
     created_at)
SELECT r, c, s, b, l, k, 'pending', 0, '', now()
FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
    AS t(r, c, s, b, l, k)
ON CONFLICT (recipient_id, channel, dedupe_key) DO NOTHING
"""

# Channels of the light changes themselves; the ladder's rungs carry their own.
YELLOW_CHANNELS = (Channel.IN_APP, Channel.EMAIL)
RED_CHANNELS = (Channel.IN_APP, Channel.EMAIL, Channel.SMS)
DIGEST_LINES = 20


@dataclass
class SweepResult:
    changed: int = 0
    events: int = 0
    notifications: int = 0
    batches: int = 0
    ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    id: int
    kind: str
    subject_id: int
    agency_id: int
    responsible_id: int | None
    policy_id: int
    old_light: str
    new_light: str
    old_level: int
    new_level: int
    due_at: dt.datetime


def sweep(
    *,
    now: dt.datetime | None = None,
    batch_size: int | None = None,
    max_batches: int | None = None,
    keep_ids: bool = False,
) -> SweepResult:
    """Run batches until nothing is due at ``now``; each batch commits on its own."""
    now = now or timezone.now()
    batch_size = batch_size or settings.TIMELIMITS_SWEEP_BATCH
    result = SweepResult()
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic():
            changes, events = _claim_and_move(now=now, batch_size=batch_size)
            if not changes:
                break
            result.notifications += _notify(changes, now=now)
        result.batches += 1
        result.changed += len(changes)
        result.events += events
        if keep_ids:
            result.ids.extend(c.id for c in changes)
    if result.changed:
        log.info(
            "deadline sweep",
            extra={"changed": result.changed, "events": result.events, "batches": result.batches},
        )
    return result


def _claim_and_move(*, now: dt.datetime, batch_size: int) -> tuple[list[Change], int]:
    with connection.cursor() as cursor:
        cursor.execute(SWEEP_SQL, {"now": now, "batch": batch_size})
        rows = cursor.fetchall()
    if not rows:
        return [], 0
    return [Change(*row[:11]) for row in rows], rows[0][11]


def _notify(changes: list[Change], *, now: dt.datetime) -> int:
    """Outbox rows for the final state of each change; unit heads and the office get digests."""
    steps = _steps_for({c.policy_id for c in changes if c.new_level > c.old_level})
    names = dict(TimeLimitPolicy.objects.values_list("id", "name"))
    heads: dict[int, list[int]] = defaultdict(list)
    for agency_id, user_id in StaffProfile.objects.filter(
        agency_id__in={c.agency_id for c in changes}, is_unit_head=True, user__is_active=True
    ).values_list("agency_id", "user_id"):
        heads[agency_id].append(user_id)
    office: list[int] | None = None

    personal: list[tuple[int, str, str, str, str, str]] = []
    digests: dict[tuple[int, str], list[str]] = defaultdict(list)
    for change in changes:
        title, recipients, channels = _announcement(change, steps, names)
        line = _("%(title)s（%(kind)s #%(id)s，到期 %(due)s）") % {
            "title": title,
            "kind": names.get(change.policy_id, change.kind),
            "id": change.subject_id,
            "due": timezone.localtime(change.due_at).strftime("%Y-%m-%d %H:%M"),
        }
        key = f"deadline:{change.id}:{change.new_light}:{change.new_level}:{change.due_at.timestamp():.0f}"
        link = f"/admin/timelimits/deadline/{change.id}/change/"
        if Recipient.RESPONSIBLE in recipients:
            if change.responsible_id is not None:
                for channel in channels:
                    personal.append((change.responsible_id, channel, title, line, link, key))
            else:  # nobody named yet: the head of the unit hears instead
                recipients = {*recipients, Recipient.UNIT_HEAD}
        targets: list[int] = []
        if Recipient.UNIT_HEAD in recipients:
            targets += heads.get(change.agency_id, [])
        if Recipient.OFFICE in recipients:
            if office is None:
                office = list(
                    get_user_model()
                    .objects.filter(groups__name=Role.EFFICIENCY_OFFICE, is_active=True)
                    .values_list("id", flat=True)
                )
            targets += office
        for user_id in set(targets) - {change.responsible_id}:
            for channel in channels:
                digests[(user_id, channel)].append(line)

    token = uuid.uuid4().hex[:12]
    for (user_id, channel), lines in digests.items():
        subject = _("时限提醒汇总：%(n)s 项") % {"n": len(lines)}
        body = "\n".join(lines[:DIGEST_LINES])
        if len(lines) > DIGEST_LINES:
            body += "\n" + _("……另有 %(n)s 项，请在后台查看。") % {"n": len(lines) - DIGEST_LINES}
        personal.append(
            (
                user_id,
                channel,
                subject,
                body,
                "/admin/timelimits/deadline/?light__exact=red",
                f"digest:{now.timestamp():.0f}:{token}",
            )
        )
    if not personal:
        return 0
    columns = list(zip(*personal, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(NOTIFY_SQL, [list(col) for col in columns])
        written = cursor.rowcount
    enqueue_delivery()
    return written


def _steps_for(policy_ids: set[int]) -> dict[tuple[int, int], EscalationStep]:
    if not policy_ids:
        return {}
    return {
        (s.policy_id, s.level): s for s in EscalationStep.objects.filter(policy_id__in=policy_ids)
    }


def _announcement(change: Change, steps, names) -> tuple[str, set[str], tuple[str, ...]]:
    """Title, recipient roles and channels for the state a change ended in."""
    if change.new_level > change.old_level:
        step = steps.get((change.policy_id, change.new_level))
        if step is not None:
            title = _("【%(proposal)s】第 %(level)s 级督办") % {
                "proposal": step.proposal,
                "level": change.new_level,
            }
            return title, set(step.notify), tuple(step.channels or [Channel.IN_APP])
    if change.new_light == "red":
        return _("【红灯】已超期"), {Recipient.RESPONSIBLE, Recipient.UNIT_HEAD}, RED_CHANNELS
    return _("【黄灯】即将到期"), {Recipient.RESPONSIBLE}, YELLOW_CHANNELS
