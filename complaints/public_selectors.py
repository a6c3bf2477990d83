"""Reads for the citizen and public pages (no user: what anyone may see, and the citizen's own case).

* ``public_cases`` — concluded cases (answered: replied, called back, closed), anonymised
  on display by ``anonymise``: no complainant, no accused person, and any phone, ID or
  e-mail written in the text masked.
* ``current_step`` — the open clock of a case in plain words, for the follow page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from complaints import clocks, numbers
from complaints.models import Complaint
from complaints.workflow import ANSWERED_STATES
from organizations.masking import mask_id_number, mask_phone
from timelimits import services as engine

_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

S = Complaint.State
# The step a citizen is waiting for in each state, and the clock that times it.
STEPS = {
    S.SUBMITTED: (clocks.ACCEPT, _("投诉中心登记受理")),
    S.ROUTED: (clocks.SIGN_FOR, _("承办单位签收")),
    S.HANDLING: (clocks.HANDLE, _("承办单位调查处理")),
    S.CONCLUDED: (clocks.REPLY, _("答复投诉人")),
    S.REPLIED: (clocks.CALLBACK, _("投诉中心回访")),
}


def anonymise(text: str) -> str:
    """Mask ID numbers, phone numbers and e-mail addresses written into free text."""
    text = _ID.sub(lambda m: mask_id_number(m.group()), text or "")
    text = _PHONE.sub(lambda m: mask_phone(m.group()), text)
    return _EMAIL.sub("***@***", text)


def submission_seen(submission_key: str) -> bool:
    """Was this form already filed (a double click)? Then it is replayed, not re-checked."""
    if not submission_key:
        return False
    return Complaint.objects.filter(
        submission_key_hash=numbers.hash_submission_key(submission_key)
    ).exists()


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def public_cases(*, query: str = "") -> QuerySet[Complaint]:
    """Answered cases, newest reply first (index ``complaint_public_recent``); ``query``
    matches the title, description or reply (index ``complaint_public_search``)."""
    qs = (
        Complaint.objects.filter(state__in=ANSWERED_STATES)
        .select_related("category", "agency_accused")
        .only(
            "tracking_no",
            "title",
            "description",
            "reply_text",
            "outcome",
            "state",
            "submitted_at",
            "replied_at",
            "category__name",
            "category__name_en",
            "agency_accused__name",
            "agency_accused__name_en",
        )
        .order_by("-replied_at", "-id")
    )
    query = query.strip()
    if query:
        # The expression must match the index's exactly for PostgreSQL to use it.
        qs = qs.extra(
            where=[
                "(complaints_complaint.title || ' ' || complaints_complaint.description"
                " || ' ' || complaints_complaint.reply_text) ILIKE %s"
            ],
            params=[f"%{_escape_like(query)}%"],
        )
    return qs


# A common word matches a large share of all cases (one in eight in the benchmark): the
# trigram index then hands PostgreSQL every match to sort. The newest answered cases are
# searched first through the list's own index; only when they hold too few matches does
# the search fall back to the trigram index (a rare word: few matches, fast there).
_RECENT_WINDOW = 20_000
_RECENT_SEARCH = """
SELECT w.id FROM (
    SELECT id, replied_at, title, description, reply_text FROM complaints_complaint
    WHERE state IN ('replied', 'called_back', 'closed')
    ORDER BY replied_at DESC, id DESC LIMIT %s
) w
WHERE (w.title || ' ' || w.description || ' ' || w.reply_text) ILIKE %s
ORDER BY w.replied_at DESC, w.id DESC OFFSET %s LIMIT %s
"""


def public_case_page(*, query: str, offset: int, limit: int) -> list[Complaint]:
    """One page of ``public_cases(query=…)``, the same rows in the same order, found fast."""
    query = query.strip()
    if not query:
        return list(public_cases()[offset : offset + limit])
    with connection.cursor() as cursor:
        cursor.execute(_RECENT_SEARCH, [_RECENT_WINDOW, f"%{_escape_like(query)}%", offset, limit])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) < limit:  # the newest cases do not fill the page: search them all
        return list(public_cases(query=query)[offset : offset + limit])
    found = public_cases().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def public_case(*, tracking_no: str) -> Complaint | None:
    return public_cases().filter(tracking_no=numbers.normalise_tracking_no(tracking_no)).first()


@dataclass(frozen=True)
class Step:
    name: str
    due_at: dt.datetime
    light: str


def current_step(*, complaint: Complaint) -> Step | None:
    if complaint.state not in STEPS:
        return None
    kind, name = STEPS[complaint.state]
    deadline = engine.deadline_current(subject=complaint, kind=kind)
    if deadline is None or deadline.stopped_at is not None:
        return None
    return Step(name=str(name), due_at=deadline.due_at, light=deadline.light)
