"""Reads of complaints on behalf of a user, and for the citizen who holds a number and a code.

Who sees a complaint (the scoping rule of this app, on top of organizations.scoping):
* the efficiency office, leaders and superusers: every complaint;
* staff of the handling agency and of joint (联办) agencies: the cases routed to them;
* staff of the accused agency: the cases against it once routed — without the
  complainant's identity unless they consented (complaints.privacy);
* anyone else: nothing (404).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from complaints import numbers
from complaints.models import Complaint, ComplaintEvent, HandlingRound
from organizations.scoping import visible_agency_ids

S = Complaint.State
# Before routing a case belongs to the complaint centre alone.
_NOT_YET_ROUTED = (S.SUBMITTED, S.REGISTERED, S.REJECTED, S.PLANNED)


def complaint_visibility_q(user) -> Q | None:
    """A filter for the complaints ``user`` may see; None means all."""
    ids = visible_agency_ids(user)
    if ids is None:
        return None
    if not ids:
        return Q(pk__in=[])
    joint = Complaint.joint_agencies.through.objects.filter(
        complaint_id=OuterRef("pk"), agency_id__in=ids
    )
    return (
        Q(handling_agency__in=ids)
        | Q(Exists(joint))
        | (Q(agency_accused__in=ids) & ~Q(state__in=_NOT_YET_ROUTED))
    )


def complaint_list_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet[Complaint]:
    qs = queryset if queryset is not None else Complaint.objects.all()
    q = complaint_visibility_q(user)
    return qs if q is None else qs.filter(q)


def complaint_get_for_user(*, user, pk: int) -> Complaint | None:
    return (
        complaint_list_visible_to(user=user)
        .select_related("category", "agency_accused", "handling_agency")
        .filter(pk=pk)
        .first()
    )


def complaint_get_by_code(*, tracking_no: str, query_code: str) -> Complaint | None:
    """The complaint a citizen follows. None for a wrong number or code alike (no hint which)."""
    tracking_no = numbers.normalise_tracking_no(tracking_no)
    complaint = None
    if numbers.is_valid_tracking_no(tracking_no):
        complaint = (
            Complaint.objects.select_related("category", "agency_accused", "handling_agency")
            .filter(tracking_no=tracking_no)
            .first()
        )
    if complaint is None:
        # Spend the same hashing work, so timing does not tell whether the number exists.
        numbers.query_code_matches(query_code, "sha256$0000000000000000$" + "0" * 64)
        return None
    return complaint if numbers.query_code_matches(query_code, complaint.query_code_hash) else None


def complaint_timeline_public(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The steps a complainant sees, in plain words (internal notes never leave the building)."""
    return (
        ComplaintEvent.objects.filter(complaint=complaint)
        .exclude(public_message="")
        .only("occurred_at", "verb", "public_message", "to_state")
        .order_by("occurred_at", "id")
    )


def complaint_timeline_staff(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return (
        ComplaintEvent.objects.filter(complaint=complaint)
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


def complaint_rounds(*, complaint: Complaint) -> list[HandlingRound]:
    """Every handling round (办理轮次) of ``complaint``, first to current: the rounds kept at
    each reopen, then the current one (unsaved, ``is_current``) from the complaint itself."""
    current = HandlingRound.current_of(complaint)
    if complaint.round_no == 1:  # never reopened: nothing kept (only a reopen writes a round)
        return [current]
    kept = HandlingRound.objects.filter(complaint=complaint).order_by("number")
    return [*kept, current]


def complaint_round(*, complaint: Complaint, number: int | None = None) -> HandlingRound | None:
    """Round ``number`` of ``complaint`` (the current one when None); None if it has no such round."""
    if number is None or number == complaint.round_no:
        return HandlingRound.current_of(complaint)
    return HandlingRound.objects.filter(complaint=complaint, number=number).first()
