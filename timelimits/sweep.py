"""The sweep: turn lights and climb the 督办 ladder for every clock whose next moment has come.

Steps of one batch — one SQL statement in one transaction:
1. claim up to ``batch`` rows with ``next_action_at <= now`` through the partial
   index ``deadline_next_action``, ``FOR UPDATE SKIP LOCKED`` — a concurrent sweep
   takes other rows or none, never the same ones;
2. compute each row's new light, level and next moment and UPDATE them (a late
   sweep jumps straight to the right state);
3. INSERT one event per transition passed (yellow, red, each ladder level), dated
   when it was due, from the UPDATE's RETURNING rows;
4. INSERT the notices of the *final* state only (no flood after a late sweep) for the
   responsible person, deduplicated by (recipient, channel, dedupe_key);
then, in Python, one digest per unit head / 效能办 member and channel for the whole
batch, and delivery is enqueued after commit.
A sweep killed mid-batch rolls the batch back; the rows keep their old
``next_action_at`` and the next sweep does the work. The batch loop stops at the
first empty batch, so ``now`` is fixed at the start and the sweep terminates.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from organizations.models import StaffProfile
from organizations.roles import Role
from timelimits.health import SWEEP_FINISHED_KEY
from timelimits.models import Channel, Recipient
from timelimits.outbox import enqueue_delivery

log = logging.getLogger(__name__)

# One statement per batch: claim, update, record the events, write the personal notices.
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
    RETURNING d.id, d.subject_type_id, d.subject_id, d.agency_id, d.responsible_id, d.policy_id,
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
), announced AS (
    -- Only the final state is announced: a late sweep that passed yellow, red and two
    -- rungs sends the notice of the last rung, not four.
    SELECT m.*, pol.name AS policy_name,
        CASE WHEN s.id IS NOT NULL THEN format(%(t_step)s, s.proposal, m.new_level)
             WHEN m.new_light = 'red' AND m.old_light <> 'red' THEN %(t_red)s
             WHEN m.new_light = 'yellow' AND m.old_light = 'green' THEN %(t_yellow)s
        END AS title,
        -- The untranslated title, so the inbox shows it in the reader's language.
        CASE WHEN s.id IS NOT NULL THEN %(s_step)s
             WHEN m.new_light = 'red' AND m.old_light <> 'red' THEN %(s_red)s
             WHEN m.new_light = 'yellow' AND m.old_light = 'green' THEN %(s_yellow)s
             ELSE ''
        END AS template,
        CASE WHEN s.id IS NOT NULL
             THEN jsonb_build_object('proposal', s.proposal, 'level', m.new_level)
             ELSE '{}'::jsonb
        END AS params,
        CASE WHEN s.id IS NOT NULL THEN s.notify::text[]
             WHEN m.new_light = 'red' AND m.old_light <> 'red'
                 THEN ARRAY['responsible', 'unit_head']
             WHEN m.new_light = 'yellow' AND m.old_light = 'green' THEN ARRAY['responsible']
        END AS roles,
        CASE WHEN s.id IS NOT NULL THEN s.channels::text[]
             WHEN m.new_light = 'red' AND m.old_light <> 'red' THEN %(red_channels)s::text[]
             ELSE %(yellow_channels)s::text[]
        END AS channels
    FROM moved m
    JOIN timelimits_timelimitpolicy pol ON pol.id = m.policy_id
    LEFT JOIN timelimits_escalationstep s
        ON m.new_level > m.old_level AND s.policy_id = m.policy_id AND s.level = m.new_level
), lined AS (
    SELECT a.*,
        format(%(t_line)s, a.title, a.policy_name, a.subject_id,
               to_char(a.due_at AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')) AS line,
        a.responsible_id IS NOT NULL AND 'responsible' = ANY(a.roles) AS to_responsible,
        -- The notice opens the clock's subject (the case) in the admin, not the clock.
        '/admin/' || ct.app_label || '/' || ct.model || '/' || a.subject_id || '/change/'
            AS case_link
    FROM announced a
    JOIN django_content_type ct ON ct.id = a.subject_type_id
    WHERE a.title IS NOT NULL
), personal AS (
    INSERT INTO timelimits_notification
        (recipient_id, channel, subject, body, link, dedupe_key, state, attempts, last_error,
         created_at, template, params)
    SELECT l.responsible_id, ch, l.title, l.line, l.case_link,
           'deadline:' || l.id || ':' || l.new_light || ':' || l.new_level || ':'
               || floor(extract(epoch FROM l.due_at))::bigint,
           'pending', 0, '', now(), l.template, l.params
    FROM lined l
    CROSS JOIN LATERAL unnest(l.channels) AS ch
    WHERE l.to_responsible
    ON CONFLICT (recipient_id, channel, dedupe_key) DO NOTHING
    RETURNING 1
)
SELECT m.id, l.agency_id, l.responsible_id, l.roles, l.channels,
       CASE WHEN NOT l.to_responsible OR l.roles && ARRAY['unit_head', 'office'] THEN l.line END,
       (SELECT count(*) FROM events), (SELECT count(*) FROM personal)
FROM moved m
LEFT JOIN lined l ON l.id = m.id
"""

DIGEST_SQL = """
INSERT INTO timelimits_notification
    (recipient_id, channel, subject, body, link, dedupe_key, state, attempts, last_error,
     created_at)
SELECT r, c, s, b, %s, k, 'pending', 0, '', now()
FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) AS t(r, c, s, b, k)
ON CONFLICT (recipient_id, channel, dedupe_key) DO NOTHING
"""

# Channels of the light changes themselves; the ladder's rungs carry their own.
YELLOW_CHANNELS = [Channel.IN_APP.value, Channel.EMAIL.value]
RED_CHANNELS = [Channel.IN_APP.value, Channel.EMAIL.value, Channel.SMS.value]
DIGEST_LINES = 20
YELLOW_TITLE = gettext_noop("【黄灯】即将到期")
RED_TITLE = gettext_noop("【红灯】已超期")
STEP_TITLE = gettext_noop("【%(proposal)s】第 %(level)s 级督办")  # the inbox's copy of t_step


@dataclass
class SweepResult:
    changed: int = 0
    events: int = 0
    notifications: int = 0
    batches: int = 0
    ids: list[int] = field(default_factory=list)


def _texts() -> dict[str, str]:
    """Translated templates, looked up once per batch (PostgreSQL format() placeholders)."""
    return {
        "t_yellow": _(YELLOW_TITLE),
        "t_red": _(RED_TITLE),
        "s_yellow": YELLOW_TITLE,
        "s_red": RED_TITLE,
        "s_step": STEP_TITLE,
        "t_step": _("【%1$s】第 %2$s 级督办"),
        "t_line": _("%1$s（%2$s #%3$s，到期 %4$s）"),
        "tz": settings.TIME_ZONE,
        "red_channels": RED_CHANNELS,
        "yellow_channels": YELLOW_CHANNELS,
    }


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
    texts = _texts()
    result = SweepResult()
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(SWEEP_SQL, {"now": now, "batch": batch_size, **texts})
                rows = cursor.fetchall()
            if not rows:
                break
            events, personal = rows[0][6], rows[0][7]
            digests = _digest(rows, now=now)
            if personal or digests:
                enqueue_delivery()
        result.batches += 1
        result.changed += len(rows)
        result.events += events
        result.notifications += personal + digests
        if keep_ids:
            result.ids.extend(row[0] for row in rows)
    if result.changed:
        log.info(
            "deadline sweep",
            extra={"changed": result.changed, "events": result.events, "batches": result.batches},
        )
    return result


def _digest(rows, *, now: dt.datetime) -> int:
    """One notice per unit head / 效能办 member and channel for the whole batch."""
    wanted = [row for row in rows if row[5] is not None]
    if not wanted:
        return 0
    heads: dict[int, list[int]] = defaultdict(list)
    for agency_id, user_id in StaffProfile.objects.filter(
        agency_id__in={row[1] for row in wanted}, is_unit_head=True, user__is_active=True
    ).values_list("agency_id", "user_id"):
        heads[agency_id].append(user_id)
    office: list[int] | None = None
    lines: dict[tuple[int, str], list[str]] = defaultdict(list)
    for _id, agency_id, responsible_id, roles, channels, line, *_counts in wanted:
        roles = set(roles)
        if responsible_id is None and Recipient.RESPONSIBLE in roles:
            roles.add(Recipient.UNIT_HEAD)  # nobody named yet: the head of the unit hears
        targets = set()
        if Recipient.UNIT_HEAD in roles:
            targets.update(heads.get(agency_id, []))
        if Recipient.OFFICE in roles:
            if office is None:
                office = list(
                    get_user_model()
                    .objects.filter(groups__name=Role.EFFICIENCY_OFFICE, is_active=True)
                    .values_list("id", flat=True)
                )
            targets.update(office)
        targets.discard(responsible_id)
        for user_id in targets:
            for channel in channels:
                lines[(user_id, channel)].append(line)
    if not lines:
        return 0
    token = f"digest:{now.timestamp():.0f}:{uuid.uuid4().hex[:12]}"
    columns: list[list] = [[], [], [], [], []]
    for (user_id, channel), items in lines.items():
        body = "\n".join(items[:DIGEST_LINES])
        if len(items) > DIGEST_LINES:
            body += "\n" + _("……另有 %(n)s 项，请在后台查看。") % {"n": len(items) - DIGEST_LINES}
        for column, value in zip(
            columns,
            (user_id, channel, _("时限提醒汇总：%(n)s 项") % {"n": len(items)}, body, token),
            strict=True,
        ):
            column.append(value)
    with connection.cursor() as cursor:
        cursor.execute(DIGEST_SQL, ["/admin/timelimits/deadline/?light__exact=red", *columns])
        return cursor.rowcount


@shared_task(name="timelimits.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> int:
    changed = sweep().changed
    cache.set(SWEEP_FINISHED_KEY, time.time(), timeout=None)  # read by /healthz ("sweep")
    return changed
