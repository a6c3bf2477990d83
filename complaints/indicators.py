"""Dashboard indicators of complaints (效能投诉), read by ``supervision`` (which nothing imports).

Counting rules. Every figure is counted on the day its complaint was submitted (a
cohort, as the public statistics count months), so a day's figures settle as its
cases finish; merged duplicates are not counted:

| code | figure | agency |
|---|---|---|
| complaints.received | complaints submitted | accused |
| complaints.concluded | of those, reached an outcome | accused |
| complaints.sign_on_time | 按时签收率: sign-for clock met / (met + missed + open and red) | the clock's |
| complaints.handle_on_time | 按时办结率: handling clock met / (met + missed + open and red) — a case past due and still open counts as late | the clock's |
| complaints.satisfaction | (满意 + 基本满意) / rated — the complainant's rating, else the callback's | accused |
| complaints.upheld | outcome 成立 or 部分成立 | accused |
| complaints.supervised | 督办 issued, on the day issued | handling (else accused) |
| complaints.open_supervision | now: open cases with a 督办 awaiting its answer | handling |
| complaints.supervision_answer_on_time | 督办按时答复率: answer clock met / (met + missed + open and red), on the day issued, by level (``part``) | the recipient's |

``CHANGES`` tells the rollup which days to recompute: a new timeline event or clock
event of a complaint makes its submission day (and the event's own day) dirty.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.clocks import HANDLE, SIGN_FOR, SUPERVISION_ANSWER
from complaints.models import Complaint, ComplaintEvent, Supervision
from complaints.selectors.supervision import supervision_awaiting_q
from complaints.workflow import OPEN_STATES
from timelimits.models import Deadline, DeadlineEvent

S = Complaint.State
CONCLUDED_STATES = (S.CONCLUDED, S.REPLIED, S.CALLED_BACK, S.CLOSED)
_OPEN_CLOCK = (Deadline.State.RUNNING, Deadline.State.PAUSED)


def _counted():
    return Complaint.objects.exclude(state=S.MERGED)


def _cohort(within):
    return _counted().filter(within("submitted_at"))


def _received(*, within):
    return (
        _cohort(within)
        .values(agency_id=F("agency_accused_id"), day=TruncDate("submitted_at"))
        .annotate(numerator=Count("id"))
    )


def _concluded(*, within):
    return (
        _cohort(within)
        .filter(state__in=CONCLUDED_STATES)
        .values(agency_id=F("agency_accused_id"), day=TruncDate("submitted_at"))
        .annotate(numerator=Count("id"))
    )


def _tally(acc: list[int], state: str, light: str) -> None:
    """Add one clock to [on time, counted]: met counts for both; missed or open-and-red, late."""
    if state == Deadline.State.MET:
        acc[0] += 1
        acc[1] += 1
    elif state == Deadline.State.MISSED or (state in _OPEN_CLOCK and light == Deadline.Light.RED):
        acc[1] += 1


def _on_time(kind: str):
    """Latest clock of ``kind`` per case of the cohort: met / (met + missed + open and red).

    Two set-based reads — the cohort's days, then the latest clock of each of its cases
    (``DISTINCT ON (subject_id)`` over the deadline_subject index) — summed per agency and
    day; a correlated subquery per case and field cost three index probes a case."""

    def daily(*, within):
        cohort = _cohort(within)
        days = dict(cohort.values_list("pk", TruncDate("submitted_at")))
        latest = (
            Deadline.objects.filter(
                subject_type=ContentType.objects.get_for_model(Complaint),
                kind=kind,
                subject_id__in=cohort.values("pk"),
            )
            .order_by("subject_id", "-started_at", "-id")
            .distinct("subject_id")
            .values_list("subject_id", "agency_id", "state", "light")
        )
        sums: dict[tuple, list[int]] = {}
        for subject_id, agency_id, state, light in latest.iterator(chunk_size=5000):
            _tally(sums.setdefault((agency_id, days[subject_id]), [0, 0]), state, light)
        return [
            {"agency_id": agency_id, "day": day, "numerator": n, "denominator": d}
            for (agency_id, day), (n, d) in sums.items()
        ]

    return daily


def _rating():
    return Coalesce(NullIf("citizen_rating", Value("")), "callback_rating")


def _satisfaction(*, within):
    return (
        _cohort(within)
        .annotate(rating=_rating())
        .values(agency_id=F("agency_accused_id"), day=TruncDate("submitted_at"))
        .annotate(
            numerator=Count(
                "id",
                filter=Q(rating__in=[Complaint.Rating.SATISFIED, Complaint.Rating.BASIC]),
            ),
            denominator=Count("id", filter=~Q(rating="") & Q(rating__isnull=False)),
        )
    )


_UPHELD = (Complaint.Outcome.FOUNDED, Complaint.Outcome.PARTLY)


def _upheld(*, within):
    return (
        _cohort(within)
        .filter(outcome__in=_UPHELD)
        .values(agency_id=F("agency_accused_id"), day=TruncDate("submitted_at"))
        .annotate(numerator=Count("id"))
    )


def _supervised(*, within):
    return (
        Supervision.objects.filter(within("issued_at"))
        .values(
            agency_id=Coalesce("complaint__handling_agency_id", "complaint__agency_accused_id"),
            day=TruncDate("issued_at"),
        )
        .annotate(numerator=Count("id"))
    )


def _open_supervision(*, agency_ids):
    # A 督办 is open while the agency owes its written answer (its answer clock runs).
    awaiting = Supervision.objects.filter(
        complaint_id=OuterRef("pk"), answered_at__isnull=True
    ).filter(supervision_awaiting_q())
    qs = Complaint.objects.filter(
        state__in=OPEN_STATES | {S.CONCLUDED},
        handling_agency__isnull=False,
    ).filter(Exists(awaiting))
    if agency_ids is not None:
        qs = qs.filter(handling_agency_id__in=agency_ids)
    return qs.values(agency_id=F("handling_agency_id")).annotate(numerator=Count("id"))


def _supervision_answer_on_time(*, within):
    """督办按时答复率 per recipient agency, day issued and level: the latest answer clock of each
    督办 issued in the window (rows from before graded 督办 have none and are not counted)."""
    issued = Supervision.objects.filter(within("issued_at"))
    facts = {
        pk: (day, level)
        for pk, day, level in issued.values_list("pk", TruncDate("issued_at"), "level__code")
    }
    latest = (
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Supervision),
            kind=SUPERVISION_ANSWER,
            subject_id__in=issued.values("pk"),
        )
        .order_by("subject_id", "-started_at", "-id")
        .distinct("subject_id")
        .values_list("subject_id", "agency_id", "state", "light")
    )
    sums: dict[tuple, list[int]] = {}
    for subject_id, agency_id, state, light in latest.iterator(chunk_size=5000):
        day, level = facts[subject_id]
        _tally(sums.setdefault((agency_id, day, level), [0, 0]), state, light)
    return [
        {"agency_id": agency_id, "day": day, "part": level, "numerator": n, "denominator": d}
        for (agency_id, day, level), (n, d) in sums.items()
    ]


# --------------------------------------------------------------------------- the cases behind


def _cases_submitted(*, agency_ids, within, part=""):
    return (
        _counted()
        .filter(agency_accused_id__in=agency_ids)
        .filter(within("submitted_at"))
        .select_related("agency_accused")
        .order_by("-submitted_at")
    )


def _cases_concluded(**kwargs):
    return _cases_submitted(**kwargs).filter(state__in=CONCLUDED_STATES)


def _cases_upheld(**kwargs):
    return _cases_submitted(**kwargs).filter(outcome__in=_UPHELD)


def _cases_rated(**kwargs):
    return _cases_submitted(**kwargs).annotate(rating=_rating()).exclude(rating="")


def _cases_clocked(kind: str):
    def cases(*, agency_ids, within, part=""):
        clocks = Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Complaint),
            kind=kind,
            agency_id__in=agency_ids,
        ).values("subject_id")
        return (
            _counted()
            .filter(within("submitted_at"), pk__in=clocks)
            .select_related("agency_accused")
            .order_by("-submitted_at")
        )

    return cases


def _cases_supervised(*, agency_ids, within, part=""):
    return (
        Complaint.objects.filter(
            Exists(
                Supervision.objects.filter(complaint_id=OuterRef("pk")).filter(within("issued_at"))
            )
        )
        .filter(
            Q(handling_agency_id__in=agency_ids)
            | Q(handling_agency__isnull=True, agency_accused_id__in=agency_ids)
        )
        .select_related("agency_accused")
        .order_by("-submitted_at")
    )


def _cases_open_supervision(*, agency_ids, within=None, part=""):
    return (
        Complaint.objects.filter(
            state__in=OPEN_STATES | {S.CONCLUDED}, handling_agency_id__in=agency_ids
        )
        .filter(Exists(Supervision.objects.filter(complaint_id=OuterRef("pk"))))
        .select_related("agency_accused")
        .order_by("-submitted_at")
    )


def _cases_supervision_answered(*, agency_ids, within, part=""):
    """The cases of the 督办 issued in the window whose answer clock is the agency's."""
    clocks = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Supervision),
        kind=SUPERVISION_ANSWER,
        agency_id__in=agency_ids,
    ).values("subject_id")
    issued = Supervision.objects.filter(within("issued_at"), pk__in=clocks)
    if part:
        issued = issued.filter(level__code=part)
    return (
        Complaint.objects.filter(pk__in=issued.values("complaint_id"))
        .select_related("agency_accused")
        .order_by("-submitted_at")
    )


def case_row(complaint: Complaint) -> dict:
    """A line of a "cases behind the figure" list: never the complainant."""
    return {
        "title": f"{complaint.tracking_no} {complaint.title}",
        "url": reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        "when": complaint.submitted_at,
        "agency": complaint.agency_accused.name,
        "note": complaint.get_state_display(),
        "person": "",
    }


# --------------------------------------------------------------------------- what changed


def _touched_by_events(rows):
    """Days to recompute for new timeline events: their case's submission day and their own."""
    yield from rows.values_list(
        Coalesce("complaint__handling_agency_id", "complaint__agency_accused_id"),
        TruncDate("complaint__submitted_at"),
    ).distinct()
    yield from rows.values_list(
        Coalesce("complaint__handling_agency_id", "complaint__agency_accused_id"),
        TruncDate("occurred_at"),
    ).distinct()


def _touched_by_clocks(rows):
    """Days to recompute for new clock events of complaints (a light turning red, a stop)."""
    complaint_type = ContentType.objects.get_for_model(Complaint)
    subjects = rows.filter(deadline__subject_type=complaint_type).values("deadline__subject_id")
    yield from (
        Complaint.objects.filter(pk__in=subjects)
        .values_list(Coalesce("handling_agency_id", "agency_accused_id"), TruncDate("submitted_at"))
        .distinct()
    )
    # A 督办's answer clock (red, answered) changes the 督办按时答复率 of the day it was issued.
    supervision_type = ContentType.objects.get_for_model(Supervision)
    answered = rows.filter(deadline__subject_type=supervision_type).values("deadline__subject_id")
    yield from (
        Supervision.objects.filter(pk__in=answered)
        .values_list("recipient_agency_id", TruncDate("issued_at"))
        .distinct()
    )


CHANGES = [
    (ComplaintEvent, _touched_by_events),
    (DeadlineEvent, _touched_by_clocks),
]

_COMMON = {"case_row": case_row}
INDICATORS = [
    {
        "code": "complaints.received",
        "name": _("受理投诉"),
        "unit": _("件"),
        "measure": "count",
        "higher_is_better": False,
        "min_sample": 0,
        "daily": _received,
        "cases": _cases_submitted,
        **_COMMON,
    },
    {
        "code": "complaints.concluded",
        "name": _("办结投诉"),
        "unit": _("件"),
        "measure": "count",
        "higher_is_better": True,
        "min_sample": 0,
        "daily": _concluded,
        "cases": _cases_concluded,
        **_COMMON,
    },
    {
        "code": "complaints.sign_on_time",
        "name": _("按时签收率"),
        "unit": "%",
        "measure": "rate",
        "higher_is_better": True,
        "min_sample": 5,
        "daily": _on_time(SIGN_FOR),
        "cases": _cases_clocked(SIGN_FOR),
        **_COMMON,
    },
    {
        "code": "complaints.handle_on_time",
        "name": _("按时办结率"),
        "unit": "%",
        "measure": "rate",
        "higher_is_better": True,
        "min_sample": 5,
        "daily": _on_time(HANDLE),
        "cases": _cases_clocked(HANDLE),
        **_COMMON,
    },
    {
        "code": "complaints.satisfaction",
        "name": _("投诉人满意率"),
        "unit": "%",
        "measure": "rate",
        "higher_is_better": True,
        "min_sample": 5,
        "daily": _satisfaction,
        "cases": _cases_rated,
        **_COMMON,
    },
    {
        "code": "complaints.upheld",
        "name": _("投诉成立件数"),
        "unit": _("件"),
        "measure": "count",
        "higher_is_better": False,
        "min_sample": 0,
        "daily": _upheld,
        "cases": _cases_upheld,
        **_COMMON,
    },
    {
        "code": "complaints.supervised",
        "name": _("督办次数"),
        "unit": _("次"),
        "measure": "count",
        "higher_is_better": False,
        "min_sample": 0,
        "daily": _supervised,
        "cases": _cases_supervised,
        **_COMMON,
    },
    {
        "code": "complaints.open_supervision",
        "name": _("在办督办件"),
        "unit": _("件"),
        "measure": "count",
        "higher_is_better": False,
        "min_sample": 0,
        "now": _open_supervision,
        "cases": _cases_open_supervision,
        **_COMMON,
    },
    {
        "code": "complaints.supervision_answer_on_time",
        "name": _("督办按时答复率"),
        "unit": "%",
        "measure": "rate",
        "higher_is_better": True,
        "min_sample": 3,
        "daily": _supervision_answer_on_time,
        "cases": _cases_supervision_answered,
        **_COMMON,
    },
]
