"""Reads of the separation of duties: the cases waiting for a leader's 批示 (领导批示)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from complaints import duties
from complaints.models import Complaint, Endorsement
from complaints.selectors.cases import complaint_list_visible_to


def complaints_awaiting_endorsement(*, user) -> QuerySet[Complaint]:
    """The cases ``user`` may endorse that wait for a 批示, oldest request first.

    Nothing for a user without ``complaints.endorse_complaint`` (the office sees the
    waiting cases through the list filter, but they are not its work). Scoped like
    every staff read. Served by the partial unique index ``endorsement_one_pending``.
    """
    if user is None or not user.has_perm(duties.ENDORSE_PERM):
        return Complaint.objects.none()
    pending = Endorsement.objects.filter(complaint=OuterRef("pk"), endorsed_at__isnull=True)
    return (
        complaint_list_visible_to(user=user)
        .annotate(endorsement_requested_at=Subquery(pending.values("requested_at")[:1]))
        .filter(endorsement_requested_at__isnull=False)
        .select_related("category", "agency_accused", "handling_agency")
        .order_by("endorsement_requested_at", "pk")
    )
