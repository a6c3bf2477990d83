"""Operating the API intake queue (接口接收队列): how far behind filing is, and "retry now".

    accepted_backlog       how many accepted filings wait, and how long the oldest has waited
    accepted_retry_now     the efficiency office makes waiting rows due now (audited)

``complaints.acceptance`` accepts and files; this module is what operators and the
office use to watch and nudge it (/healthz, the admin's queue page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.acceptance import enqueue_filing
from complaints.models import AcceptedFiling
from efficiency_portal.errors import ApplicationError
from organizations.audit import audit
from organizations.scoping import user_sees_all

# Rows not filed yet. Every such row is scheduled (acceptance sets next_attempt_at,
# filing clears it), so this is the predicate of the partial index
# ``accepted_filing_waiting`` and its queries read the index, never the filed history.
WAITING = Q(next_attempt_at__isnull=False, filed_at__isnull=True)


@dataclass(frozen=True)
class Backlog:
    waiting: int
    oldest_received_at: dt.datetime | None  # None when nothing waits

    def oldest_age_seconds(self, *, now: dt.datetime) -> int | None:
        if self.oldest_received_at is None:
            return None
        return max(0, int((now - self.oldest_received_at).total_seconds()))


def accepted_backlog() -> Backlog:
    """The unfiled accepted filings: how many, and when the oldest was received (one query)."""
    row = AcceptedFiling.objects.filter(WAITING).aggregate(
        waiting=Count("pk"), oldest=Min("received_at")
    )
    return Backlog(waiting=row["waiting"], oldest_received_at=row["oldest"])


def may_retry(user) -> bool:
    """The queue spans every agency: the efficiency office, seeing every agency, may nudge it."""
    return (
        user is not None
        and user.is_authenticated
        and user.has_perm("complaints.office_complaint")
        and user_sees_all(user)
    )


@transaction.atomic
def accepted_retry_now(*, rows_qs: QuerySet[AcceptedFiling], actor) -> int:
    """Make the rows of ``rows_qs`` that still wait due now; returns how many were changed.

    1. Only the efficiency office may (``may_retry``).
    2. Lock the selected rows that are not filed, skipping any a filing run holds:
       that run is filing them at this moment, so there is nothing to hurry.
    3. Set their next attempt to now; attempts and the last error stay (their history).
    4. One audit row per filing (``accepted_filing.retry_now``) with its previous schedule.
    5. After commit, nudge the filing worker instead of waiting for beat's next run.
    """
    if not may_retry(actor):
        raise ApplicationError(_("只有效能办可以安排立即重新立案。"), code="forbidden")
    now = timezone.now()
    due = list(
        AcceptedFiling.objects.filter(WAITING, pk__in=rows_qs.values("pk"))
        .select_for_update(skip_locked=True)
        .only("pk", "tracking_no", "attempts", "next_attempt_at")
        .order_by("pk")
    )
    if not due:
        return 0
    AcceptedFiling.objects.filter(pk__in=[row.pk for row in due]).update(next_attempt_at=now)
    for row in due:
        audit(
            actor=actor,
            verb="accepted_filing.retry_now",
            subject=row,
            data={
                "tracking_no": row.tracking_no,
                "attempts": row.attempts,
                "was_due_at": row.next_attempt_at.isoformat(),
            },
        )
    enqueue_filing()
    return len(due)
