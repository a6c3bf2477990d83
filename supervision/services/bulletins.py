"""通报: draft the bulletin of a period from its figures (once per period, however often the
job runs), edit it while a draft, publish it (public at /bulletins/).

The content is anonymised when drafted: agencies, counts and case numbers, never a
complainant and never a named member of staff.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint
from efficiency_portal.errors import ApplicationError
from organizations.audit import audit
from supervision.models import Bulletin, Finding, Ranking, Sanction
from supervision.services.access import require_office
from timelimits.models import Deadline

TOP = 10


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _content(start: dt.date, end: dt.date) -> dict:
    after = end + dt.timedelta(days=1)
    ranking = (
        Ranking.objects.filter(state=Ranking.State.PUBLISHED, published_at__lt=_aware(after))
        .select_related("scheme")
        .order_by("-published_at")
        .first()
    )
    ranking_rows = []
    if ranking is not None:
        for row in ranking.rows.filter(rank__isnull=False).select_related("agency", "category"):
            ranking_rows.append(
                {
                    "category": row.category.name,
                    "rank": row.rank,
                    "agency": row.agency.name,
                    "composite": str(row.composite),
                }
            )
        ranking_rows.sort(key=lambda r: (r["category"], r["rank"]))
    now = timezone.now()
    overdue = [
        {
            "agency": d.agency.name,
            "kind": d.kind,
            "days_overdue": max((now - d.due_at).days, 0),
        }
        for d in Deadline.objects.filter(state__in=["running", "paused"], light="red")
        .select_related("agency")
        .order_by("due_at")[:TOP]
    ]
    upheld = [
        {
            "tracking_no": c.tracking_no,
            "agency": c.agency_accused.name,
            "category": c.category.name,
            "outcome": c.get_outcome_display(),
        }
        for c in Complaint.objects.filter(
            outcome__in=[Complaint.Outcome.FOUNDED, Complaint.Outcome.PARTLY],
            concluded_at__gte=_aware(start),
            concluded_at__lt=_aware(after),
        )
        .select_related("agency_accused", "category")
        .order_by("concluded_at")[:50]
    ]
    findings = [
        {
            "date": f.inspection.date.isoformat(),
            "kind": f.inspection.get_kind_display(),
            "agency": f.agency.name,
            "description": f.description[:300],
        }
        for f in Finding.objects.filter(
            inspection__date__gte=start, inspection__date__lte=end
        ).select_related("inspection", "agency")[:50]
    ]
    sanctions = [
        {"date": s.issued_on.isoformat(), "kind": s.kind.name, "agency": s.agency.name}
        for s in Sanction.objects.filter(issued_on__gte=start, issued_on__lte=end)
        .exclude(state=Sanction.State.REVOKED)
        .select_related("kind", "agency")[:50]
    ]
    return {
        "ranking": {
            "title": f"{ranking.scheme.name} {ranking.period.label}" if ranking else "",
            "rows": ranking_rows,
        },
        "overdue": overdue,
        "upheld": upheld,
        "findings": findings,
        "sanctions": sanctions,
    }


@transaction.atomic
def bulletin_draft(*, start: dt.date, end: dt.date, kind: str = "week") -> Bulletin:
    """The bulletin of [start, end]: drafted once; a second run returns the same one unchanged."""
    if end < start:
        raise ApplicationError(_("通报期间的截止日期早于起始日期。"), code="bad_period")
    if end >= timezone.localdate():
        raise ApplicationError(_("统计期尚未结束，不能起草通报。"), code="future_period")
    existing = Bulletin.objects.filter(period_kind=kind, period_start=start).first()
    if existing is not None:
        return existing
    title = _("效能建设通报（%(start)s 至 %(end)s）") % {"start": start, "end": end}
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                period_kind=kind,
                period_start=start,
                period_end=end,
                title=title,
                content=_content(start, end),
            )
    except IntegrityError:  # another run drafted it a moment ago
        return Bulletin.objects.get(period_kind=kind, period_start=start)
    audit(actor=None, verb="bulletin_draft", subject=bulletin, data={"start": str(start)})
    return bulletin


def bulletin_draft_last_week(*, today: dt.date | None = None) -> Bulletin:
    start, end = week_of((today or timezone.localdate()) - dt.timedelta(days=7))
    return bulletin_draft(start=start, end=end)


def _editable(bulletin: Bulletin) -> Bulletin:
    current = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if current.state == Bulletin.State.PUBLISHED:
        raise ApplicationError(_("已发布的通报不能修改。"), code="published")
    return current


@transaction.atomic
def bulletin_edit(*, actor, bulletin: Bulletin, title: str, summary: str) -> Bulletin:
    require_office(actor)
    current = _editable(bulletin)
    if not (title or "").strip():
        raise ApplicationError(_("请填写标题。"), code="no_title", field="title")
    before = {"title": current.title, "summary": current.summary}
    current.title, current.summary, current.edited_by = title.strip()[:120], summary.strip(), actor
    current.save(update_fields=["title", "summary", "edited_by"])
    audit(
        actor=actor,
        verb="bulletin_edit",
        subject=current,
        data={"before": before, "after": {"title": current.title, "summary": current.summary}},
    )
    return current


@transaction.atomic
def bulletin_publish(*, actor, bulletin: Bulletin) -> Bulletin:
    require_office(actor)
    current = _editable(bulletin)
    current.state = Bulletin.State.PUBLISHED
    current.published_at, current.published_by = timezone.now(), actor
    current.save(update_fields=["state", "published_at", "published_by"])
    audit(actor=actor, verb="bulletin_publish", subject=current)
    return current
