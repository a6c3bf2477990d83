"""开放数据 (/open-data/): every public figure as CSV and JSON under stable URLs, with a data
dictionary. Public figures only: the monthly complaint statistics (rates below the public
minimum are left empty, as on the statistics page), published rankings with their scheme,
weights and each agency's indicator values and scores, and published bulletins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models import AgencyMonthStats, PublicPolicy
from supervision.models import Bulletin, Ranking, RankingRow
from supervision.registry import registry

METHOD = _(
    "在同一单位类别内，某项指标得分 = 100 ×（x − 最小值）/（最大值 − 最小值），数值越低越好的指标反向计分；"
    "所有单位数值相同时均为 100 分。样本数低于该指标最少样本数的单位不计该项得分，其权重也不计入分母。"
    "综合得分 = Σ 权重 × 得分 / Σ 权重；按综合得分从高到低排名，得分相同名次并列（1、2、2、4）。"
)


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: list[tuple[str, str, str]]  # (name, type, description)
    rows: Callable[[], Iterable[dict]]


def _rate(part: int, whole: int, minimum: int):
    return round(100 * part / whole, 1) if whole and whole >= minimum else None


def _statistics() -> Iterable[dict]:
    minimum = PublicPolicy.current().ranking_min_cases
    rows = AgencyMonthStats.objects.select_related("agency").order_by("month", "agency__code")
    for r in rows.iterator(chunk_size=2000):
        yield {
            "month": r.month.strftime("%Y-%m"),
            "agency_code": r.agency.code,
            "agency_name": r.agency.name,
            "received": r.received,
            "concluded": r.concluded,
            "on_time": r.on_time,
            "late": r.late,
            "overdue": r.overdue,
            # 按时办结率 counts a case past due as late, concluded or not (complaints.stats).
            "on_time_rate": _rate(r.on_time, r.on_time + r.late + r.overdue, minimum),
            "rated": r.rated,
            "satisfied": r.satisfied,
            "satisfaction_rate": _rate(r.satisfied, r.rated, minimum),
        }


def _published_rankings():
    return Ranking.objects.filter(
        state__in=[Ranking.State.PUBLISHED, Ranking.State.SUPERSEDED], published_at__isnull=False
    ).select_related("scheme")


def _rankings() -> Iterable[dict]:
    reg = registry()
    rows = (
        RankingRow.objects.filter(ranking__in=_published_rankings())
        .select_related("ranking__scheme", "agency", "category")
        .order_by("-ranking__period_start", "ranking__code", "ranking__version", "category", "rank")
    )
    for r in rows.iterator(chunk_size=2000):
        ranking = r.ranking
        for code, v in sorted(r.values.items()):
            indicator = reg.indicators.get(code)
            yield {
                "scheme": ranking.code,
                "scheme_version": ranking.scheme.version,
                "period": ranking.period_key,
                "ranking_version": ranking.version,
                "state": ranking.state,
                "published_at": ranking.published_at.isoformat(),
                "category": r.category.code,
                "agency_code": r.agency.code,
                "agency_name": r.agency.name,
                "rank": r.rank,
                "composite": None if r.composite is None else str(r.composite),
                "indicator": code,
                "indicator_name": str(indicator.name) if indicator else code,
                "weight": v.get("weight"),
                "numerator": v.get("numerator"),
                "denominator": v.get("denominator"),
                "value": v.get("value"),
                "score": v.get("score"),
            }


def _bulletins() -> Iterable[dict]:
    for b in Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).order_by("period_start"):
        yield {
            "id": b.pk,
            "title": b.title,
            "period_start": b.period_start.isoformat(),
            "period_end": b.period_end.isoformat(),
            "published_at": b.published_at.isoformat(),
            "url": reverse("bulletins:detail", args=[b.pk]),
            "pdf": reverse("bulletins:pdf", args=[b.pk]),
        }


DATASETS = {
    d.name: d
    for d in [
        Dataset(
            "complaint-statistics",
            _("投诉统计（按单位、按月）"),
            _(
                "每个被投诉单位每月受理的投诉及其办结、按时办结和满意情况（按提交月份统计）；样本不足的比率为空。"
            ),
            [
                ("month", "YYYY-MM", _("提交月份")),
                ("agency_code", "string", _("单位代码")),
                ("agency_name", "string", _("单位名称")),
                ("received", "integer", _("受理件数")),
                ("concluded", "integer", _("办结件数")),
                ("on_time", "integer", _("按时办结件数")),
                ("late", "integer", _("超时办结件数")),
                ("overdue", "integer", _("超期未办结件数")),
                ("on_time_rate", "number|null", _("按时办结率（%）")),
                ("rated", "integer", _("评价件数")),
                ("satisfied", "integer", _("满意及基本满意件数")),
                ("satisfaction_rate", "number|null", _("满意率（%）")),
            ],
            _statistics,
        ),
        Dataset(
            "rankings",
            _("综合排名（已发布，含各版本）"),
            _(
                "每个已发布排名中每个单位每项指标一行：方案、方案版本、权重、分子、分母、数值、得分、综合得分与名次。"
            ),
            [
                ("scheme", "string", _("方案代码")),
                ("scheme_version", "integer", _("方案版本")),
                ("period", "string", _("统计期（2026、2026-Q4、2026-11）")),
                ("ranking_version", "integer", _("排名版本（重新计算后递增）")),
                ("state", "string", _("published 现行；superseded 已被新版本取代")),
                ("published_at", "datetime", _("发布时间")),
                ("category", "string", _("单位类别代码")),
                ("agency_code", "string", _("单位代码")),
                ("agency_name", "string", _("单位名称")),
                ("rank", "integer|null", _("名次；空为样本不足")),
                ("composite", "number|null", _("综合得分")),
                ("indicator", "string", _("指标代码")),
                ("indicator_name", "string", _("指标名称")),
                ("weight", "number", _("权重")),
                ("numerator", "integer", _("分子")),
                ("denominator", "integer", _("分母")),
                ("value", "number|null", _("指标值；空为样本不足")),
                ("score", "number|null", _("指标得分；空为未计分")),
            ],
            _rankings,
        ),
        Dataset(
            "bulletins",
            _("效能建设通报"),
            _("已发布的通报及其网页和 PDF 地址。"),
            [
                ("id", "integer", _("编号")),
                ("title", "string", _("标题")),
                ("period_start", "date", _("起始日期")),
                ("period_end", "date", _("截止日期")),
                ("published_at", "datetime", _("发布时间")),
                ("url", "string", _("网页地址")),
                ("pdf", "string", _("PDF 地址")),
            ],
            _bulletins,
        ),
    ]
}


def dictionary() -> dict:
    return {
        "method": str(METHOD),
        "datasets": [
            {
                "name": d.name,
                "title": str(d.title),
                "description": str(d.description),
                "csv": reverse("open_data:dataset", args=[d.name, "csv"]),
                "json": reverse("open_data:dataset", args=[d.name, "json"]),
                "fields": [
                    {"name": n, "type": t, "description": str(desc)} for n, t, desc in d.fields
                ],
            }
            for d in DATASETS.values()
        ],
    }
