"""Reads for the citizen and public pages (no user: what anyone may see, and the citizen's own case).

* ``public_cases`` — concluded cases (answered: replied, called back, closed) with their
  public text only (``public_title``, ``public_description``, ``public_reply``: masked by
  ``anonymise`` when the case was answered, complaints.publication): no complainant, no
  accused person, no phone, ID, e-mail or personal name the case knows of. The search
  reads the same columns, so it finds only what the page shows.
* ``current_step`` — the open clock of a case in plain words, for the follow page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.masking import mask_id_number, mask_name, mask_phone
from complaints import clocks, numbers
from complaints.models import Complaint
from complaints.workflow import ANSWERED_STATES
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


# A one-character "name" is part of too many words: masking it would mangle the text.
NAME_MIN_LENGTH = 2
_LATIN = re.compile(r"[A-Za-z0-9]")


def _name_pattern(name: str) -> str:
    """The name as a literal; a Latin name only as a whole word ("Li" is not in "Library")."""
    before = "(?<![A-Za-z0-9])" if _LATIN.match(name[0]) else ""
    after = "(?![A-Za-z0-9])" if _LATIN.match(name[-1]) else ""
    return before + re.escape(name) + after


def anonymise(text: str, names: Iterable[str] = ()) -> str:
    """Mask ID numbers, phone numbers and e-mail addresses written into free text, and
    each of ``names`` the way ``mask_name`` does (王小明 → 王**).

    Numbers go first, so a masked name cannot hide an e-mail address from its pattern.
    Only the names found in the text make the pattern, longest first: an alternation takes
    its first match, and 王小明 must win over 王小."""
    text = _ID.sub(lambda m: mask_id_number(m.group()), text or "")
    text = _PHONE.sub(lambda m: mask_phone(m.group()), text)
    text = _EMAIL.sub("***@***", text)
    present = sorted(
        {n for n in names if len(n) >= NAME_MIN_LENGTH and n in text}, key=len, reverse=True
    )
    if not present:
        return text
    pattern = re.compile("|".join(_name_pattern(n) for n in present))
    return pattern.sub(lambda m: mask_name(m.group()), text)


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
    matches their public text (index ``complaint_public_search``)."""
    qs = (
        Complaint.objects.filter(state__in=ANSWERED_STATES)
        .select_related("category", "agency_accused")
        .only(
            "tracking_no",
            "public_title",
            "public_description",
            "public_reply",
            "outcome",
            "round_no",
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
                "(complaints_complaint.public_title || ' ' || complaints_complaint.public_description"
                " || ' ' || complaints_complaint.public_reply) ILIKE %s"
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
    SELECT id, replied_at, public_title, public_description, public_reply
    FROM complaints_complaint
    WHERE state IN ('replied', 'called_back', 'closed')
    ORDER BY replied_at DESC, id DESC LIMIT %s
) w
WHERE (w.public_title || ' ' || w.public_description || ' ' || w.public_reply) ILIKE %s
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
    """One answered case, or None."""
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
