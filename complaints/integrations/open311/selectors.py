"""Reads behind Open311: categories as services, complaints as service requests.

Status: GeoReport knows only ``open`` and ``closed``. A complaint is closed for
the citizen once they have the answer (replied, called back, filed), or when it
was refused (rejected) or folded into another (merged); a reopened case is open
again. ``expected_datetime`` is the due time of the case's running clock on the
deadline engine — the handling clock when it runs, else whichever clock runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import get_language

from complaints.clocks import HANDLE
from complaints.models import Complaint, ComplaintCategory, ComplaintEvent
from organizations.models import Agency
from timelimits.models import Deadline
from timelimits.services import OPEN_STATES

S = Complaint.State
CLOSED_STATES = (S.REPLIED, S.CALLED_BACK, S.CLOSED, S.REJECTED, S.MERGED)
OPEN_STATES_311 = tuple(s for s in S.values if s not in CLOSED_STATES)

# GeoReport v2: with no dates the search covers the most recent 90 days, a date
# range may not span more than 90 days, and at most 1,000 requests are returned.
GEOREPORT_WINDOW = dt.timedelta(days=90)
GEOREPORT_MAX_REQUESTS = 1000


def open311_status(state: str) -> str:
    return "closed" if state in CLOSED_STATES else "open"


def service_list() -> QuerySet[ComplaintCategory]:
    return ComplaintCategory.objects.filter(is_active=True).order_by("order", "code")


def service_get(code: str) -> ComplaintCategory | None:
    return service_list().filter(code=code).first()


def accusable_agencies() -> QuerySet[Agency]:
    """The agencies a request may be filed against (the ``agency`` attribute's values), as a tree."""
    return Agency.objects.filter(is_active=True).only("code", "name", "name_en").order_by("path")


def _with_related(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    last_event = ComplaintEvent.objects.filter(complaint=OuterRef("pk")).order_by(
        "-occurred_at", "-id"
    )
    return qs.select_related("category", "handling_agency").annotate(
        updated_at=Subquery(last_event.values("occurred_at")[:1])
    )


def requests_by_ids(tracking_nos: Sequence[str]) -> list[Complaint]:
    qs = Complaint.objects.filter(tracking_no__in=list(tracking_nos)[:GEOREPORT_MAX_REQUESTS])
    return list(_with_related(qs).order_by("-submitted_at", "-id"))


def requests_in_window(
    *,
    since: dt.datetime,
    until: dt.datetime,
    service_codes: Iterable[str] = (),
    statuses: Iterable[str] = (),
) -> list[Complaint]:
    """Requests submitted in [since, until), newest first, at most GEOREPORT_MAX_REQUESTS."""
    qs = Complaint.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
    codes = [c for c in service_codes if c]
    if codes:
        qs = qs.filter(category__code__in=codes)
    wanted = set(statuses)
    if wanted == {"open"}:
        qs = qs.filter(state__in=OPEN_STATES_311)
    elif wanted == {"closed"}:
        qs = qs.filter(state__in=CLOSED_STATES)
    return list(_with_related(qs).order_by("-submitted_at", "-id")[:GEOREPORT_MAX_REQUESTS])


def expected_datetimes(complaints: Sequence[Complaint]) -> dict[int, dt.datetime]:
    """{complaint id: due time of its running clock}, one query for the whole page."""
    if not complaints:
        return {}
    rows = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Complaint),
        subject_id__in=[c.pk for c in complaints],
        state__in=OPEN_STATES,
    ).values_list("subject_id", "kind", "due_at")
    found: dict[int, tuple[bool, dt.datetime]] = {}
    for subject_id, kind, due_at in rows:
        rank = (kind == HANDLE, due_at)
        if subject_id not in found or rank > found[subject_id]:
            found[subject_id] = rank
    return {pk: rank[1] for pk, rank in found.items()}


def intake_agency_name() -> str:
    """Who is responsible before a case is routed: the complaint centre (投诉中心)."""
    centre = Agency.objects.filter(code=settings.COMPLAINTS_OFFICE_AGENCY_CODE).first()
    if centre is None:
        return ""
    english = (get_language() or "").startswith("en") and centre.name_en
    return english or centre.name
