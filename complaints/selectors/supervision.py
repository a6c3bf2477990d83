"""Reads of 督办 (supervision) for a user: what awaits an answer, who may answer, each one's clock.

Who may answer a 督办: a member of staff with the handler's permission whose agency is
the recipient agency (its own agency, or one its role sees below it). The efficiency
office issues 督办 and does not answer its own, unless its member belongs to that agency.

A 督办 awaits an answer while its answer clock runs (``complaint.supervision_answer``);
rows from before graded 督办 have no clock and await nothing.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from complaints.clocks import SUPERVISION_ANSWER
from complaints.models import Complaint, Supervision
from complaints.selectors.cases import complaint_visibility_q
from organizations.scoping import visible_agency_ids
from timelimits.models import Deadline

_OPEN = (Deadline.State.RUNNING, Deadline.State.PAUSED)


def _answer_clocks():
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Supervision),
        subject_id=OuterRef("pk"),
        kind=SUPERVISION_ANSWER,
    ).order_by("-started_at", "-id")


def with_answer_clock(queryset: QuerySet[Supervision]) -> QuerySet[Supervision]:
    """Each row with its latest answer clock: ``answer_due_at``, ``answer_state``, ``answer_light``.

    Read from the engine (a policy or calendar edit moves the due time), never copied.
    """
    clocks = _answer_clocks()
    return queryset.annotate(
        answer_due_at=Subquery(clocks.values("due_at")[:1]),
        answer_state=Subquery(clocks.values("state")[:1]),
        answer_light=Subquery(clocks.values("light")[:1]),
    )


def supervision_awaiting_q():
    """Rows whose answer clock is open (the agency still owes its written answer)."""
    return Exists(_answer_clocks().filter(state__in=_OPEN))


def supervisions_awaiting_answer(*, user) -> QuerySet[Supervision]:
    """督办件: the 督办 awaiting a written answer that ``user`` sees, the most urgent first.

    Staff see those addressed to their agencies (of cases they may see); the efficiency
    office and leaders see them all. Rows carry ``answer_due_at`` / ``answer_light``.
    """
    ids = visible_agency_ids(user)
    qs = Supervision.objects.filter(answered_at__isnull=True).filter(supervision_awaiting_q())
    if ids is not None:
        visible = complaint_visibility_q(user)
        qs = qs.filter(recipient_agency_id__in=ids, complaint__in=Complaint.objects.filter(visible))
    return (
        with_answer_clock(qs)
        .select_related("complaint", "level", "recipient_agency", "recipient_person__staff_profile")
        .order_by("answer_due_at", "pk")
    )


def supervision_may_answer(user, supervision: Supervision) -> bool:
    """Whether ``user`` may write the recipient agency's answer (the rule in the module docstring)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not user.has_perm("complaints.handle_complaint"):
        return False
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.agency_id == supervision.recipient_agency_id:
        return True
    ids = visible_agency_ids(user)
    # None means "sees every agency" (office, leaders): seeing is not belonging.
    return ids is not None and supervision.recipient_agency_id in ids


def supervisions_answerable(*, user, complaint: Complaint) -> list[Supervision]:
    """The case's 督办 awaiting an answer that ``user`` may give (the 答复督办 button's choices)."""
    rows = (
        with_answer_clock(
            complaint.supervisions.filter(answered_at__isnull=True).filter(supervision_awaiting_q())
        )
        .select_related("level")
        .order_by("issued_at", "pk")
    )
    return [row for row in rows if supervision_may_answer(user, row)]
