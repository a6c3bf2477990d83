"""The leaders' dashboard (/dashboard/), an agency's page and the cases behind a figure.

Never public: an anonymous visitor is sent to the staff login, an inspector or an
account without an agency gets 403, a clerk lands on their own agency's page and
another agency's page is a 404. Every chart has its data as a table and as CSV
(``?csv=<table>``). Reads go to the replica when one is configured (the router).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations.models import Agency, AgencyCategory
from supervision import dashboard, figures, periods, selectors
from supervision.csv_export import csv_response
from supervision.registry import registry
from supervision.rollup import within_period
from supervision.selectors import access_for, red_clocks_now
from timelimits.indicators import responsible_name, subject_url

HEAT_CODES = [
    "complaints.received",
    "complaints.sign_on_time",
    "complaints.handle_on_time",
    "complaints.satisfaction",
    "complaints.upheld",
    "complaints.supervised",
    "timelimits.yellow_cards",
    "timelimits.red_cards",
]


def _access_or_deny(request):
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path(), reverse("admin:login"))
    access = access_for(request.user)
    if not access.dashboard and access.own_agency_id is None:
        raise PermissionDenied
    return access, None


def _period(request, default_kind: str = periods.QUARTER) -> periods.Period:
    text = request.GET.get("period", "").strip()
    if not text:
        return periods.current(default_kind)
    try:
        return periods.parse(text)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return periods.current(default_kind)


def _overdue_rows(deadlines) -> list[dict]:
    from django.utils import timezone

    now = timezone.now()
    return [
        {
            "agency": d.agency.name,
            "kind": d.kind,
            "due_at": d.due_at,
            "days_overdue": max((now - d.due_at).days, 0),
            "person": responsible_name(d),
            "url": subject_url(d),
            "subject": f"{d.subject_type.model} #{d.subject_id}",
        }
        for d in deadlines
    ]


def _overdue(access, agency_id: int | None = None) -> tuple[list[dict], str]:
    """The most overdue OVERDUE_SHOWN red clocks, and when there are more the link to all of
    them (the cases behind 当前红灯, paginated): one more row is read to know."""
    shown = selectors.OVERDUE_SHOWN
    clocks = list(red_clocks_now(access=access, agency_id=agency_id, limit=shown + 1))
    more = dashboard.cases_url("timelimits.red_now", agency_id=agency_id)
    return _overdue_rows(clocks[:shown]), more if len(clocks) > shown else ""


def _chart_ranking(view: dashboard.RankingView) -> list[dict]:
    return [
        {
            "id": f"ranking-{c.category.code}",
            "title": c.category.display_name,
            "bars": [
                {
                    "name": b.name,
                    "value": b.composite,
                    "rank": b.rank,
                    "mark": b.mark,
                    "url": b.url,
                }
                for b in c.bars
                if b.composite is not None
            ],
        }
        for c in view.categories
    ]


def dashboard_page(request):
    access, redirect_response = _access_or_deny(request)
    if redirect_response:
        return redirect_response
    if not access.dashboard:
        return redirect("supervision:agency", agency_id=access.own_agency_id)
    agency_id = request.GET.get("agency", "")
    if agency_id.isdigit():
        return redirect(
            reverse("supervision:agency", args=[int(agency_id)])
            + f"?period={request.GET.get('period', '')}"
        )
    period = _period(request)
    category = AgencyCategory.objects.filter(code=request.GET.get("category", "")).first()
    scheme = dashboard.scheme_for(period, request.GET.get("scheme") or None)
    tiles = dashboard.tiles(access=access, period=period)
    view = dashboard.ranking(access=access, period=period, scheme=scheme, category=category)
    overdue, overdue_all = _overdue(access)
    heat_category = category or (view.categories[0].category if view.categories else None)
    heat = dashboard.heat(access=access, period=period, codes=HEAT_CODES, category=heat_category)
    reg = registry()
    table = request.GET.get("csv")
    if table:
        return _dashboard_csv(table, period, tiles, view, overdue, heat)
    return render(
        request,
        "supervision/dashboard.html",
        {
            "period": period,
            "period_kinds": periods.KINDS,
            "categories": AgencyCategory.objects.all(),
            "category": category,
            "agencies": dashboard.agencies_visible(access).order_by("path"),
            "scheme": scheme,
            "tiles": tiles,
            "ranking": view,
            "ranking_chart": _chart_ranking(view),
            "overdue": overdue,
            "overdue_all": overdue_all,
            "heat": heat,
            "heat_category": heat_category,
            "heat_codes": [(c, reg.indicators[c].name) for c in HEAT_CODES],
            "weights": [
                (w.indicator, reg.indicators.get(w.indicator), w.weight)
                for w in scheme.weights.all()
            ]
            if scheme
            else [],
        },
    )


def _dashboard_csv(table, period, tiles, view, overdue, heat):
    name = f"dashboard-{table}-{period.key}.csv"
    if table == "tiles":
        rows = [[str(t.label), "" if t.value is None else t.value, str(t.unit)] for t in tiles]
        return csv_response(name, [_("指标"), _("数值"), _("单位")], rows)
    if table == "ranking":
        rows = [
            [c.category.name, b.rank or "", b.name, "" if b.composite is None else b.composite]
            for c in view.categories
            for b in c.bars
        ]
        return csv_response(name, [_("单位类别"), _("名次"), _("单位"), _("综合得分")], rows)
    if table == "overdue":
        rows = [
            [r["agency"], r["kind"], r["due_at"].isoformat(), r["days_overdue"], r["person"]]
            for r in overdue
        ]
        return csv_response(
            name, [_("单位"), _("时限类型"), _("到期时间"), _("超期天数"), _("责任人")], rows
        )
    if table == "heat":
        reg = registry()
        header = [_("单位")] + [str(reg.indicators[c].name) for c in HEAT_CODES]
        rows = [
            [r["agency"].name] + ["" if c["value"] is None else c["value"] for c in r["cells"]]
            for r in heat
        ]
        return csv_response(name, header, rows)
    raise Http404


def agency_page(request, agency_id: int):
    access, redirect_response = _access_or_deny(request)
    if redirect_response:
        return redirect_response
    if not access.sees(agency_id):
        raise Http404
    agency = get_object_or_404(Agency.objects.select_related("category"), pk=agency_id)
    period = _period(request)
    reg = registry()
    codes = [i.code for i in figures.active_indicators() if not i.is_live]
    values = figures.period_values(codes=codes, period=period, agency_ids=[agency.pk])
    minimum = figures.min_samples()
    indicators = []
    for code in codes:
        indicator = reg.indicators[code]
        v = values.get((agency.pk, code)) or figures.Value(
            0, 0, indicator.is_rate, minimum.get(code, 0)
        )
        indicators.append(
            {
                "indicator": indicator,
                "value": v,
                "url": dashboard.cases_url(code, period=period, agency_id=agency.pk),
            }
        )
    trend = dashboard.trend(agency=agency, period=period)
    cards = {
        code: figures.parts(code=code, period=period, agency_ids=[agency.pk])
        for code in ("timelimits.yellow_cards", "timelimits.red_cards")
    }
    from supervision.selectors import open_clocks_by_light

    lights = open_clocks_by_light(agency_id=agency.pk)
    overdue, overdue_all = _overdue(access, agency_id=agency.pk)
    extra = _agency_sections(agency=agency, period=period, user=request.user)
    if request.GET.get("csv") == "trend":
        rows = list(zip(trend["labels"], trend["agency"], trend["median"], strict=True))
        return csv_response(
            f"trend-{agency.code}-{period.key}.csv",
            [_("统计期"), agency.name, _("同类单位中位数")],
            [[a, "" if b is None else b, "" if c is None else c] for a, b, c in rows],
        )
    if request.GET.get("csv") == "indicators":
        return csv_response(
            f"indicators-{agency.code}-{period.key}.csv",
            [_("指标"), _("分子"), _("分母"), _("数值")],
            [
                [
                    str(i["indicator"].name),
                    i["value"].numerator,
                    i["value"].denominator,
                    "" if i["value"].value is None else i["value"].value,
                ]
                for i in indicators
            ],
        )
    return render(
        request,
        "supervision/agency.html",
        {
            "agency": agency,
            "period": period,
            "access": access,
            "tiles": dashboard.tiles(access=access, period=period, agency_id=agency.pk),
            "indicators": indicators,
            "trend": trend,
            "trend_rows": list(zip(trend["labels"], trend["agency"], trend["median"], strict=True)),
            "cards": [
                (reg.indicators[code].name, sorted(parts.items())) for code, parts in cards.items()
            ],
            "lights": [
                (light, label, lights.get(light, 0))
                for light, label in (
                    ("green", _("绿灯")),
                    ("yellow", _("黄灯")),
                    ("red", _("红灯")),
                )
            ],
            "overdue": overdue,
            "overdue_all": overdue_all,
            **extra,
        },
    )


def _agency_sections(*, agency: Agency, period: periods.Period, user) -> dict:
    """Inspections (with their rectifications) and sanctions of the agency in the period; the
    sanctions only as far as the viewer may read the ledger (the person, the unit head)."""
    from supervision.models import Inspection, Rectification
    from supervision.selectors import sanctions_visible_to

    inspections = Inspection.objects.filter(
        agency=agency, date__gte=period.start, date__lt=period.end
    ).prefetch_related("findings__rectification")
    open_rectifications = Rectification.objects.filter(agency=agency).exclude(
        state=Rectification.State.ACCEPTED
    )
    sanctions = sanctions_visible_to(user=user).filter(
        agency=agency, issued_on__gte=period.start, issued_on__lt=period.end
    )
    return {
        "sections": ["supervision/_agency_inspections.html", "supervision/_agency_sanctions.html"],
        "sanctions": sanctions,
        "inspections": inspections,
        "open_rectifications": open_rectifications,
    }


def cases_page(request):
    """The cases behind one figure: an indicator for an agency (or every visible one) and a period."""
    access, redirect_response = _access_or_deny(request)
    if redirect_response:
        return redirect_response
    indicator = registry().indicators.get(request.GET.get("code", ""))
    if indicator is None:
        raise Http404
    agency_id = request.GET.get("agency", "")
    if agency_id.isdigit():
        if not access.sees(int(agency_id)):
            raise Http404
        agency_ids = [int(agency_id)]
    elif access.dashboard:
        agency_ids = list(dashboard.agencies_visible(access).values_list("pk", flat=True))
    else:
        agency_ids = [access.own_agency_id]
    period = _period(request)
    rows = indicator.cases(
        agency_ids=agency_ids,
        within=within_period(period.start, period.end),
        part=request.GET.get("part", "")[:60],
    )
    if request.GET.get("csv"):
        lines = [indicator.case_row(r) for r in rows[:10000]]
        return csv_response(
            f"cases-{indicator.code}-{period.key}.csv",
            [_("事项"), _("时间"), _("单位"), _("责任人"), _("状态")],
            [
                [
                    x["title"],
                    x.get("when") or "",
                    x.get("agency", ""),
                    x.get("person", ""),
                    x.get("note", ""),
                ]
                for x in lines
            ],
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/cases.html",
        {
            "indicator": indicator,
            "period": period,
            "page": page,
            "rows": [indicator.case_row(r) for r in page.object_list],
            "agency": Agency.objects.filter(pk=agency_ids[0]).first()
            if len(agency_ids) == 1
            else None,
            "live": indicator.is_live,
        },
    )
