"""办理公开 and 统计: concluded cases (anonymised, searchable) and live statistics by agency and month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from complaints import stats
from complaints.models import PublicPolicy
from complaints.selectors import public as public_selectors
from efficiency_portal.inputs import whole_number
from organizations.models import Agency

_MONTHS_SHOWN = 12
_PER_PAGE = 20
_MAX_PAGE = 500  # deep OFFSETs are slow; search narrows instead


@dataclass
class _Page:
    """A page of cases without a COUNT(*): counting 750,000 answered cases costs more than
    the page itself, so the list only knows whether there is a next page (one row more)."""

    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(value) -> int:
    try:
        return min(max(int(value), 1), _MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def cases(request):
    query = request.GET.get("q", "").strip()[:50]
    number = _page_number(request.GET.get("page"))
    start = (number - 1) * _PER_PAGE
    rows = public_selectors.public_case_page(query=query, offset=start, limit=_PER_PAGE + 1)
    page = _Page(items=rows[:_PER_PAGE], number=number, has_next=len(rows) > _PER_PAGE)
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


class _Figures:
    """The page's tables, read from the rollup only when the template's cache misses."""

    def __init__(self, first: dt.date, last: dt.date, agency: Agency | None):
        self.first, self.last, self.agency = first, last, agency

    @cached_property
    def min_cases(self) -> int:
        return PublicPolicy.current().ranking_min_cases

    @cached_property
    def by_agency(self) -> list[stats.Figures]:
        rows = stats.stats_by_agency(first_month=self.first, last_month=self.last)
        names = Agency.objects.in_bulk([f.agency_id for f in rows])
        for figures in rows:  # the agency's name in the page's language
            if figures.agency_id in names:
                figures.label = names[figures.agency_id].display_name
        return rows

    @cached_property
    def by_month(self) -> list[stats.Figures]:
        return stats.stats_by_month(
            first_month=self.first,
            last_month=self.last,
            agency_id=self.agency.pk if self.agency else None,
        )

    @cached_property
    def on_time_ranking(self) -> list[stats.Figures]:
        return stats.ranking(self.by_agency, by="on_time_rate")[:10]

    @cached_property
    def satisfaction_ranking(self) -> list[stats.Figures]:
        return stats.ranking(self.by_agency, by="satisfaction_rate")[:10]

    @cached_property
    def refreshed_at(self) -> dt.datetime | None:
        return stats.last_refreshed()


def statistics(request):
    """Figures of the last twelve months (or the range asked for), from the rollup only."""
    this_month = stats.month_start(timezone.localdate())
    last = _month(request.GET.get("to", ""), this_month)
    first = _month(request.GET.get("from", ""), stats.add_months(last, 1 - _MONTHS_SHOWN))
    if first > last:
        first, last = last, first
    agency_id = whole_number(request.GET.get("agency", ""))
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first() if agency_id else None
    return render(
        request,
        "complaints/public/statistics.html",
        {
            "first": first,
            "last": last,
            "range": f"from={first:%Y-%m}&to={last:%Y-%m}",
            "agency": agency,
            "figures": _Figures(first, last, agency),
            "version": stats.version(),
        },
    )
