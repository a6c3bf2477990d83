"""The case page's clock (时限): the current step with its light, due time and time left,
and the history of every clock of the case in plain words (``timelimits.history``)."""

from __future__ import annotations

from dataclasses import dataclass

from complaints import clocks
from complaints.models import Complaint
from timelimits import history
from timelimits.models import Deadline

_RANK = {Deadline.Light.RED: 0, Deadline.Light.YELLOW: 1, Deadline.Light.GREEN: 2}


@dataclass(frozen=True)
class ClockPanel:
    step: str  # the state the case is in, in words
    current: history.Clock | None  # the most urgent open clock; None when none runs
    others: list[history.Clock]  # the other open clocks
    lines: list[history.Line]


def complaint_clock_panel(*, complaint: Complaint, now=None) -> ClockPanel:
    deadlines = history.deadlines_of(subject=complaint, exclude_kinds=(clocks.RETURN_WINDOW,))
    open_ = sorted(
        (d for d in deadlines if d.state in history.OPEN),
        key=lambda d: (_RANK.get(d.light, 3), d.due_at),
    )
    shown = [history.clock_of(d, now=now) for d in open_]
    return ClockPanel(
        step=complaint.get_state_display(),
        current=shown[0] if shown else None,
        others=shown[1:],
        lines=history.history(deadlines),
    )
