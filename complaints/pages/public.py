"""办理公开 and 统计: concluded cases (anonymised, searchable) and live statistics by agency and month."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from complaints import public_selectors, stats
from complaints.models import PublicPolicy
from organizations.models import Agency

_MONTHS_SHOWN = 12


def cases(request):
    query = request.GET.get("q", "").strip()[:50]
    page = Paginator(public_selectors.public_cases(query=query), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "complaints/public/cases.html", {"page": page, "query": query})


def case_detail(request, tracking_no: str):
    complaint = public_selectors.public_case(tracking_no=tracking_no)
    if complaint is None:
        raise Http404
    return render(request, "complaints/public/case_detail.html", {"case": complaint})


def _month(value: str, default: dt.date) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return default


def statistics(request):
    """Figures of the last twelve months (or the range asked for), from the rollup only."""
    this_month = stats.month_start(timezone.localdate())
    last = _month(request.GET.get("to", ""), this_month)
    first = _month(request.GET.get("from", ""), stats.add_months(last, 1 - _MONTHS_SHOWN))
    if first > last:
        first, last = last, first
    agency = None
    if request.GET.get("agency", "").isdigit():
        agency = Agency.objects.filter(pk=request.GET["agency"], is_active=True).first()
    by_agency = stats.stats_by_agency(first_month=first, last_month=last)
    names = Agency.objects.in_bulk([f.agency_id for f in by_agency])
    for figures in by_agency:  # the agency's name in the page's language
        if figures.agency_id in names:
            figures.label = names[figures.agency_id].display_name
    return render(
        request,
        "complaints/public/statistics.html",
        {
            "first": first,
            "last": last,
            "agency": agency,
            "by_agency": by_agency,
            "by_month": stats.stats_by_month(
                first_month=first, last_month=last, agency_id=agency.pk if agency else None
            ),
            "on_time_ranking": stats.ranking(by_agency, by="on_time_rate")[:10],
            "satisfaction_ranking": stats.ranking(by_agency, by="satisfaction_rate")[:10],
            "min_cases": PublicPolicy.current().ranking_min_cases,
            "refreshed_at": stats.last_refreshed(),
        },
    )
