"""Public transparency pages: 关键岗位公示 (key posts) and 今日在岗公示牌 (on-duty board)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from efficiency_portal.inputs import whole_number
from organizations import selectors
from organizations.models import DutyStatus


def key_posts(request):
    agency = None
    if agency_id := whole_number(request.GET.get("agency", "")):
        agency = get_object_or_404(selectors.agency_list_public(), pk=agency_id)
    query = request.GET.get("q", "").strip()[:50]
    page = Paginator(selectors.key_posts_public(agency=agency, query=query), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "organizations/key_posts.html",
        {
            "page": page,
            "agency": agency,
            "query": query,
            "agency_groups": selectors.agency_choices_by_category(),
        },
    )


def duty_board(request, agency_id: int | None = None):
    # The picker is a plain GET form (no JavaScript): ?a=<id> lands on the agency's own URL.
    if agency_id is None and (chosen := whole_number(request.GET.get("a", ""))):
        return redirect("organizations:duty_board_agency", agency_id=chosen)
    today = timezone.localdate()
    agencies = selectors.agency_list_public()
    agency = get_object_or_404(agencies, pk=agency_id) if agency_id else None
    board = selectors.duty_board(agency=agency, date=today) if agency else []
    counts = {}
    for _member, status in board:
        key = status.status if status else DutyStatus.Status.ON_DUTY
        counts[key] = counts.get(key, 0) + 1
    return render(
        request,
        "organizations/duty_board.html",
        {
            "agency_groups": selectors.agency_choices_by_category(),
            "agency": agency,
            "board": board,
            "today": today,
            "statuses": DutyStatus.Status,
            "summary": [
                (value, label, counts.get(value, 0)) for value, label in DutyStatus.Status.choices
            ],
        },
    )


def agency_directory(request):
    return render(request, "organizations/agencies.html", {"roots": selectors.agency_tree_public()})
