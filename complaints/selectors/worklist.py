"""待办 (worklist): the cases waiting on the user's action, by role and agency.

* a handling agency's clerk: 待签收, 办理中, 待回复, 已超期, 督办件 of the cases their
  agency handles (``organizations.scoping`` on the handling agency);
* the efficiency office: 待登记, 待拟办, 待审批, 延期待批, 答复待审核, 待回访, 待归档,
  否定报备待审查, 已超期;
* anyone else who reads complaints (a leader, a unit administrator): 已超期 and 督办件 of
  what they may see (``complaint_list_visible_to``), and for a leader first 待批示.

Closed and merged cases are in no queue. Each queue is sorted by the due time of the
case's most urgent running clock. The page costs a fixed number of queries: one for the
counts, one for the light summary, one for the rows of the queue on screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import clocks, duties
from complaints.models import (
    Complaint,
    Endorsement,
    ExtensionRequest,
    RejectionFiling,
    ReplyDraft,
    Supervision,
)
from complaints.selectors.cases import complaint_list_visible_to
from complaints.selectors.supervision import supervision_awaiting_q
from organizations.scoping import scope_queryset
from timelimits import calendar
from timelimits.countdown import countdown
from timelimits.labels import kind_label
from timelimits.models import Deadline

S = Complaint.State
ROWS_PER_QUEUE = 50  # a screenful; the changelist's filters reach the rest
# Where the handling agency owes the next step (and where 督办 still presses).
_HANDLER_STATES = (S.ROUTED, S.HANDLING, S.CONCLUDED)
_WORK_STATES = (S.SUBMITTED, S.REGISTERED, S.PLANNED, *_HANDLER_STATES, S.REPLIED)
_OPEN_CLOCK = (Deadline.State.RUNNING, Deadline.State.PAUSED)

_LIGHT_ORDER = Case(
    When(light="red", then=Value(0)),
    When(light="yellow", then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def complaint_supervised_q() -> Q:
    """督办件: an open case with a 督办 still awaiting the agency's written answer.

    The one place that says what counts as a 督办件 (the worklist and its counts read it);
    "awaiting" is the answer clock running (complaints.selectors.supervision), so an
    answered 督办, or one from before graded 督办 that asked for no answer, is not one.
    """
    awaiting = Supervision.objects.filter(
        complaint=OuterRef("pk"), answered_at__isnull=True
    ).filter(supervision_awaiting_q())
    return Q(Exists(awaiting))


def _draft_waiting() -> Exists:
    """A reply draft waiting for the office's review (答复审核)."""
    return Exists(
        ReplyDraft.objects.filter(complaint=OuterRef("pk"), status=ReplyDraft.Status.PENDING)
    )


def _endorsement_waiting() -> Exists:
    """A case waiting for a leader's 批示 (complaints.duties)."""
    return Exists(Endorsement.objects.filter(complaint=OuterRef("pk"), endorsed_at__isnull=True))


def _open_clocks():
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Complaint), state__in=_OPEN_CLOCK
    ).exclude(kind=clocks.RETURN_WINDOW)  # a window nobody owes anything in


def _overdue_q() -> Q:
    # A semi-join on the red clocks (few) rather than a filter on the per-row annotation.
    return Q(pk__in=_open_clocks().filter(light=Deadline.Light.RED).values("subject_id"))


def with_clock(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Annotate each case with its most urgent open clock: light, due time, kind, unit, state."""
    worst = (
        _open_clocks()
        .filter(subject_id=OuterRef("pk"))
        .annotate(light_order=_LIGHT_ORDER)
        .order_by("light_order", "due_at")
    )
    return queryset.annotate(
        light=Subquery(worst.values("light")[:1]),
        due_at=Subquery(worst.values("due_at")[:1]),
        step_kind=Subquery(worst.values("kind")[:1]),
        clock_unit=Subquery(worst.values("unit")[:1]),
        clock_state=Subquery(worst.values("state")[:1]),
    )


@dataclass
class Queue:
    key: str
    label: str
    count: int = 0
    rows: list[Complaint] = field(default_factory=list)


@dataclass
class Worklist:
    role: str  # "office", "handler" or "reader"
    queues: list[Queue]
    lights: dict[str, int]
    current: Queue | None

    @property
    def total(self) -> int:
        return sum(self.lights.values())


def _queues(user) -> tuple[str, QuerySet[Complaint], list[tuple[str, str, Q]]]:
    """(role, the cases the role works on, [(key, label, filter)])."""
    if user.has_perm("complaints.office_complaint"):
        pending_extension = ExtensionRequest.objects.filter(
            complaint=OuterRef("pk"), status=ExtensionRequest.Status.PENDING
        )
        pending_review = RejectionFiling.objects.filter(
            complaint=OuterRef("pk"), review=RejectionFiling.Review.PENDING
        )
        return (
            "office",
            complaint_list_visible_to(user=user),
            [
                ("register", _("待登记"), Q(state=S.SUBMITTED)),
                ("plan", _("待拟办"), Q(state=S.REGISTERED)),
                ("approve", _("方案待审批"), Q(state=S.PLANNED)),
                ("extension", _("延期待审批"), Q(state=S.HANDLING) & Q(Exists(pending_extension))),
                ("review_reply", _("答复待审核"), Q(state=S.CONCLUDED) & Q(_draft_waiting())),
                ("callback", _("待回访"), Q(state=S.REPLIED)),
                ("archive", _("待归档"), Q(state=S.CALLED_BACK)),
                ("rejection", _("否定报备待审查"), Q(state=S.REJECTED) & Q(Exists(pending_review))),
                ("overdue", _("已超期"), Q(state__in=_WORK_STATES) & _overdue_q()),
            ],
        )
    supervised = (
        "supervised",
        _("督办件"),
        Q(state__in=_HANDLER_STATES) & complaint_supervised_q(),
    )
    if user.has_perm("complaints.handle_complaint"):
        return (
            "handler",
            scope_queryset(Complaint.objects.all(), user, agency_field="handling_agency"),
            [
                ("sign_for", _("待签收"), Q(state=S.ROUTED)),
                ("handling", _("办理中"), Q(state=S.HANDLING)),
                # A draft with the office is the office's to review, not the clerk's to write.
                ("reply", _("待回复"), Q(state=S.CONCLUDED) & ~Q(_draft_waiting())),
                ("overdue", _("已超期"), Q(state__in=_HANDLER_STATES) & _overdue_q()),
                supervised,
            ],
        )
    reading = [("overdue", _("已超期"), Q(state__in=_WORK_STATES) & _overdue_q()), supervised]
    if user.has_perm(duties.ENDORSE_PERM):  # a leader: the cases waiting for a 批示 come first
        reading.insert(0, ("endorse", _("待批示"), Q(_endorsement_waiting())))
    return ("reader", complaint_list_visible_to(user=user), reading)


def worklist_for(
    *, user, queue: str | None = None, limit: int = ROWS_PER_QUEUE, now: dt.datetime | None = None
) -> Worklist:
    """The user's queues with their counts, and the rows of ``queue`` (the first with work if
    None or unknown). A row carries ``light``, ``due_at``, ``step_label`` and ``countdown``."""
    role, cases, specs = _queues(user)
    counts = cases.aggregate(**{key: Count("pk", filter=q) for key, _label, q in specs})
    queues = [Queue(key=key, label=str(label), count=counts[key]) for key, label, _q in specs]

    mine = cases.filter(reduce(or_, (q for _k, _l, q in specs)))
    lights = {"red": 0, "yellow": 0, "green": 0}
    for row in with_clock(mine).values("light").annotate(n=Count("pk")).order_by():
        if row["light"] in lights:
            lights[row["light"]] = row["n"]

    by_key = {q.key: q for q in queues}
    current = by_key.get(queue) or next((q for q in queues if q.count), queues[0])
    q = next(q for key, _label, q in specs if key == current.key)
    rows = list(
        with_clock(cases.filter(q))
        .select_related("category", "agency_accused", "handling_agency")
        .order_by(F("due_at").asc(nulls_last=True), "submitted_at", "pk")[:limit]
    )
    now = now or timezone.now()
    cal = calendar.current()  # once for the page, not once a row
    for case in rows:
        case.step_label = kind_label(case.step_kind) if case.step_kind else ""
        case.light_label = Deadline.Light(case.light).label if case.light else ""
        if case.clock_state == Deadline.State.PAUSED:
            case.countdown = str(_("暂停计时"))
        else:
            case.countdown = countdown(due_at=case.due_at, unit=case.clock_unit, now=now, cal=cal)
    current.rows = rows
    return Worklist(role=role, queues=queues, lights=lights, current=current)
