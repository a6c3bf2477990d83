"""综合排名: schemes (create, edit while unpublished, revise into a new version), rankings
(compute, publish, recompute as a new version) and their outcome proposals (issue, dismiss).

Every function is keyword-only, one transaction, audited; bad input raises
``ApplicationError`` with nothing written.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations.audit import audit
from organizations.models import Agency, AgencyCategory
from supervision import figures, periods, scoring
from supervision.models import (
    OutcomeKind,
    OutcomeProposal,
    OutcomeRule,
    Ranking,
    RankingRow,
    RankingScheme,
    SchemeIndicator,
)
from supervision.registry import registry
from supervision.services.access import require_office

# --------------------------------------------------------------------------- validation


def _clean_weights(weights: dict) -> dict[str, Decimal]:
    if not weights:
        raise ApplicationError(_("方案至少需要一个指标。"), code="no_indicators", field="weights")
    known = registry().indicators
    clean: dict[str, Decimal] = {}
    for code, raw in weights.items():
        if code not in known:
            raise ApplicationError(
                _("未知的指标：%(code)s。") % {"code": code},
                code="unknown_indicator",
                field="weights",
            )
        if known[code].is_live:
            raise ApplicationError(
                _("指标“%(name)s”是实时数字，不能用于排名。") % {"name": known[code].name},
                code="live_indicator",
                field="weights",
            )
        try:
            weight = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            weight = Decimal(-1)
        if not weight.is_finite() or weight < 0:
            raise ApplicationError(
                _("指标“%(name)s”的权重必须是不小于 0 的数。") % {"name": known[code].name},
                code="negative_weight",
                field="weights",
            )
        if weight > Decimal("9999.99"):
            raise ApplicationError(
                _("权重过大（最大 9999.99）。"), code="weight_too_big", field="weights"
            )
        clean[code] = weight.quantize(Decimal("0.01"))
    if not any(clean.values()):
        raise ApplicationError(_("权重不能全部为 0。"), code="all_zero_weights", field="weights")
    return clean


def _clean_categories(categories) -> list[AgencyCategory]:
    categories = list(categories or [])
    if not categories:
        raise ApplicationError(
            _("请至少选择一个参评单位类别。"), code="no_categories", field="categories"
        )
    empty = [
        c.name for c in categories if not Agency.objects.filter(category=c, is_active=True).exists()
    ]
    if empty:
        raise ApplicationError(
            _("单位类别“%(names)s”中没有单位。") % {"names": "、".join(empty)},
            code="empty_category",
            field="categories",
        )
    return categories


def _clean_outcomes(outcomes) -> list[dict]:
    clean = []
    for spec in outcomes or []:
        if spec.get("kind") not in OutcomeKind.values:
            raise ApplicationError(_("未知的结果条件。"), code="bad_outcome", field="outcomes")
        count = spec.get("count")
        if not isinstance(count, int) or count < 1:
            raise ApplicationError(
                _("名次数 N 必须是正整数。"), code="bad_outcome_count", field="outcomes"
            )
        if not (spec.get("label") or "").strip():
            raise ApplicationError(_("请填写结果名称。"), code="no_label", field="outcomes")
        clean.append({**spec, "label": spec["label"].strip()})
    return clean


def is_frozen(scheme: RankingScheme) -> bool:
    return scheme.rankings.exclude(state=Ranking.State.DRAFT).exists()


def _refuse_if_frozen(scheme: RankingScheme) -> None:
    if is_frozen(scheme):
        raise ApplicationError(
            _("方案“%(name)s”已用于已发布的排名，不能修改；请另存为新版本。")
            % {"name": str(scheme)},
            code="scheme_frozen",
            field=None,
        )


def _snapshot(scheme: RankingScheme) -> dict:
    return {
        "name": scheme.name,
        "period_kind": scheme.period_kind,
        "categories": sorted(scheme.categories.values_list("code", flat=True)),
        "weights": {w.indicator: str(w.weight) for w in scheme.weights.all()},
        "outcomes": [
            {"kind": o.kind, "count": o.count, "label": o.label, "sanction_kind": o.sanction_kind}
            for o in scheme.outcomes.all()
        ],
    }


def _write(scheme: RankingScheme, categories, weights, outcomes) -> None:
    scheme.categories.set(categories)
    scheme.weights.all().delete()
    SchemeIndicator.objects.bulk_create(
        SchemeIndicator(scheme=scheme, indicator=code, weight=w) for code, w in weights.items()
    )
    if outcomes is not None:
        scheme.outcomes.all().delete()
        OutcomeRule.objects.bulk_create(
            OutcomeRule(
                scheme=scheme,
                kind=o["kind"],
                count=o["count"],
                label=o["label"],
                sanction_kind=o.get("sanction_kind", ""),
            )
            for o in outcomes
        )


# --------------------------------------------------------------------------- schemes


@transaction.atomic
def scheme_create(
    *,
    actor,
    code: str,
    name: str,
    period_kind: str,
    categories,
    weights: dict,
    outcomes: list[dict] | None = None,
) -> RankingScheme:
    require_office(actor)
    if period_kind not in periods.KINDS:
        raise ApplicationError(_("未知的统计周期。"), code="bad_period_kind", field="period_kind")
    if not (name or "").strip():
        raise ApplicationError(_("请填写方案名称。"), code="no_name", field="name")
    clean_weights = _clean_weights(weights)
    clean_categories = _clean_categories(categories)
    clean_outcomes = _clean_outcomes(outcomes)
    if RankingScheme.objects.filter(code=code).exists():
        raise ApplicationError(
            _("方案代码“%(code)s”已存在。") % {"code": code}, code="duplicate_code", field="code"
        )
    scheme = RankingScheme.objects.create(
        code=code, name=name.strip(), period_kind=period_kind, created_by=actor
    )
    _write(scheme, clean_categories, clean_weights, clean_outcomes)
    audit(actor=actor, verb="scheme_create", subject=scheme, data=_snapshot(scheme))
    return scheme


@transaction.atomic
def scheme_update(
    *,
    actor,
    scheme: RankingScheme,
    name: str | None = None,
    categories=None,
    weights: dict | None = None,
    outcomes: list[dict] | None = None,
) -> RankingScheme:
    """Edit a scheme no published ranking has used yet."""
    require_office(actor)
    scheme = RankingScheme.objects.select_for_update().get(pk=scheme.pk)
    _refuse_if_frozen(scheme)
    before = _snapshot(scheme)
    clean_weights = _clean_weights(
        weights if weights is not None else {w.indicator: w.weight for w in scheme.weights.all()}
    )
    clean_categories = _clean_categories(
        categories if categories is not None else scheme.categories.all()
    )
    clean_outcomes = _clean_outcomes(outcomes) if outcomes is not None else None
    if name is not None:
        if not name.strip():
            raise ApplicationError(_("请填写方案名称。"), code="no_name", field="name")
        scheme.name = name.strip()
        scheme.save(update_fields=["name"])
    _write(scheme, clean_categories, clean_weights, clean_outcomes)
    audit(
        actor=actor,
        verb="scheme_update",
        subject=scheme,
        data={"before": before, "after": _snapshot(scheme)},
    )
    return scheme


@transaction.atomic
def scheme_revise(
    *,
    actor,
    scheme: RankingScheme,
    weights: dict | None = None,
    categories=None,
    outcomes: list[dict] | None = None,
) -> RankingScheme:
    """A new version of ``scheme`` (the published ones stay as they were)."""
    require_office(actor)
    latest = (
        RankingScheme.objects.select_for_update()
        .filter(code=scheme.code)
        .aggregate(v=Max("version"))["v"]
    )
    clean_weights = _clean_weights(
        weights if weights is not None else {w.indicator: w.weight for w in scheme.weights.all()}
    )
    clean_categories = _clean_categories(
        categories if categories is not None else scheme.categories.all()
    )
    clean_outcomes = _clean_outcomes(
        outcomes
        if outcomes is not None
        else [
            {"kind": o.kind, "count": o.count, "label": o.label, "sanction_kind": o.sanction_kind}
            for o in scheme.outcomes.all()
        ]
    )
    revised = RankingScheme.objects.create(
        code=scheme.code,
        version=latest + 1,
        name=scheme.name,
        period_kind=scheme.period_kind,
        created_by=actor,
    )
    _write(revised, clean_categories, clean_weights, clean_outcomes)
    RankingScheme.objects.filter(code=scheme.code).exclude(pk=revised.pk).update(is_active=False)
    audit(
        actor=actor,
        verb="scheme_revise",
        subject=revised,
        data={"from_version": scheme.version, **_snapshot(revised)},
    )
    return revised


# --------------------------------------------------------------------------- rankings


def compute_rows(*, scheme: RankingScheme, period: periods.Period) -> list[scoring.Scored]:
    """The ranking of ``scheme`` over ``period`` from the rollup (nothing written)."""
    weights = {w.indicator: w.weight for w in scheme.weights.all()}
    ranked = Agency.objects.filter(is_active=True, category__in=scheme.categories.all())
    agencies = list(ranked.values_list("pk", "category_id"))
    ids = [a for a, _c in agencies]
    id_set = set(ids)
    values = figures.with_zero_counts(
        # Every agency's rows, kept for the ranked ones below: a plain range scan of the
        # rollup's index is faster than filtering it by a subquery or a thousand ids.
        {
            key: v
            for key, v in figures.period_values(codes=list(weights), period=period).items()
            if key[0] in id_set
        },
        codes=list(weights),
        agency_ids=ids,
    )
    higher = {code: registry().indicators[code].higher_is_better for code in weights}
    return scoring.score(agencies=agencies, values=values, weights=weights, higher_is_better=higher)


@transaction.atomic
def ranking_compute(
    *, actor, scheme: RankingScheme, period: periods.Period, reason: str = ""
) -> Ranking:
    """Compute a new version of the scheme's ranking for ``period`` (a draft until published)."""
    require_office(actor)
    if period.kind != scheme.period_kind:
        raise ApplicationError(
            _("该方案按%(kind)s排名，统计期不符。") % {"kind": scheme.get_period_kind_display()},
            code="period_kind_mismatch",
            field="period",
        )
    if period.is_future():
        raise ApplicationError(
            _("统计期 %(period)s 尚未开始，不能排名。") % {"period": period.label},
            code="future_period",
            field="period",
        )
    scheme = RankingScheme.objects.get(pk=scheme.pk)
    _clean_categories(scheme.categories.all())
    rows = compute_rows(scheme=scheme, period=period)
    previous = Ranking.objects.filter(
        code=scheme.code, period_kind=period.kind, period_start=period.start
    )
    if previous.exists() and not (reason or "").strip():
        raise ApplicationError(
            _("该统计期已有排名，重新计算须说明原因。"), code="reason_required", field="reason"
        )
    version = (previous.aggregate(v=Max("version"))["v"] or 0) + 1
    try:
        with transaction.atomic():
            ranking = Ranking.objects.create(
                scheme=scheme,
                code=scheme.code,
                period_kind=period.kind,
                period_start=period.start,
                version=version,
                reason=(reason or "").strip()[:300],
                computed_at=timezone.now(),
                computed_by=actor,
            )
    except IntegrityError:
        raise ApplicationError(
            _("另一位工作人员刚刚计算了该排名，请刷新后再试。"), code="concurrent", field=None
        ) from None
    RankingRow.objects.bulk_create(
        RankingRow(
            ranking=ranking,
            agency_id=r.agency_id,
            category_id=r.category_id,
            composite=r.composite,
            rank=r.rank,
            values=r.values,
        )
        for r in rows
    )
    audit(
        actor=actor,
        verb="ranking_compute",
        subject=ranking,
        data={
            "scheme": scheme.code,
            "scheme_version": scheme.version,
            "period": period.key,
            "version": version,
            "reason": ranking.reason,
            "ranked": sum(1 for r in rows if r.rank is not None),
        },
    )
    return ranking


@transaction.atomic
def ranking_publish(*, actor, ranking: Ranking) -> Ranking:
    """Publish a draft: it is frozen with its scheme version; the one published before is kept,
    marked superseded; the outcome rules propose their outcomes to a person."""
    require_office(actor)
    ranking = Ranking.objects.select_for_update().select_related("scheme").get(pk=ranking.pk)
    if ranking.state != Ranking.State.DRAFT:
        raise ApplicationError(_("该排名已发布，不能再次发布。"), code="not_draft", field=None)
    if not ranking.rows.filter(rank__isnull=False).exists():
        raise ApplicationError(
            _("没有单位达到最少样本数（样本不足），不能发布。"),
            code="insufficient_sample",
            field=None,
        )
    superseded = list(
        Ranking.objects.select_for_update()
        .filter(
            code=ranking.code,
            period_kind=ranking.period_kind,
            period_start=ranking.period_start,
            state=Ranking.State.PUBLISHED,
        )
        .values_list("pk", flat=True)
    )
    Ranking.objects.filter(pk__in=superseded).update(state=Ranking.State.SUPERSEDED)
    ranking.state = Ranking.State.PUBLISHED
    ranking.published_at = timezone.now()
    ranking.published_by = actor
    ranking.save(update_fields=["state", "published_at", "published_by"])
    proposals = _propose_outcomes(ranking)
    audit(
        actor=actor,
        verb="ranking_publish",
        subject=ranking,
        data={
            "scheme_version": ranking.scheme.version,
            "superseded": superseded,
            "proposals": len(proposals),
        },
    )
    return ranking


def _bottom_agencies(ranking: Ranking, n: int) -> dict[int, int]:
    rows = [
        scoring.Scored(
            agency_id=r.agency_id, category_id=r.category_id, composite=r.composite, rank=r.rank
        )
        for r in ranking.rows.all()
    ]
    out: dict[int, int] = {}
    by_category: dict[int, list] = {}
    for row in rows:
        by_category.setdefault(row.category_id, []).append(row)
    for members in by_category.values():
        for agency_id, position in scoring.bottom_positions(members).items():
            if position <= n:
                out[agency_id] = position
    return out


def _propose_outcomes(ranking: Ranking) -> list[OutcomeProposal]:
    rows = {r.agency_id: r for r in ranking.rows.filter(rank__isnull=False)}
    proposals = []
    for rule in ranking.scheme.outcomes.all():
        if rule.kind == OutcomeKind.TOP:
            chosen = {a: r.rank for a, r in rows.items() if r.rank <= rule.count}
        else:
            chosen = {a: rows[a].rank for a in _bottom_agencies(ranking, rule.count)}
        if rule.kind == OutcomeKind.BOTTOM_TWO_YEARS:
            last_year = (
                Ranking.objects.filter(
                    code=ranking.code,
                    period_kind=ranking.period_kind,
                    period_start=ranking.period.shifted(-1).start,
                    state=Ranking.State.PUBLISHED,
                )
                .order_by("-version")
                .first()
            )
            before = _bottom_agencies(last_year, rule.count) if last_year else {}
            chosen = {a: rank for a, rank in chosen.items() if a in before}
        for agency_id, rank in sorted(chosen.items(), key=lambda item: item[1]):
            proposals.append(
                OutcomeProposal(
                    ranking=ranking, rule=rule, agency_id=agency_id, label=rule.label, rank=rank
                )
            )
    return OutcomeProposal.objects.bulk_create(proposals)


def _decide(*, actor, proposal: OutcomeProposal, state: str, reason: str) -> OutcomeProposal:
    require_office(actor)
    proposal = OutcomeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != OutcomeProposal.State.PROPOSED:
        raise ApplicationError(
            _("该建议已处理（%(state)s）。") % {"state": proposal.get_state_display()},
            code="already_decided",
            field=None,
        )
    proposal.state = state
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.reason = (reason or "").strip()[:300]
    proposal.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    if state == OutcomeProposal.State.ISSUED and proposal.rule.sanction_kind:
        _record_in_ledger(actor=actor, proposal=proposal)
    audit(
        actor=actor,
        verb=f"outcome_{state}",
        subject=proposal,
        agency=proposal.agency,
        data={"label": proposal.label, "reason": proposal.reason},
    )
    return proposal


def _record_in_ledger(*, actor, proposal: OutcomeProposal) -> None:
    """An issued 黄牌警告 / 通报批评 goes into the sanctions ledger with the outcome as its source."""
    from supervision.models import SanctionKind, SourceType
    from supervision.services.sanctions import _issue

    kind = SanctionKind.objects.filter(code=proposal.rule.sanction_kind, is_active=True).first()
    if kind is None:
        raise ApplicationError(
            _("问责方式“%(code)s”不存在或已停用，请先在问责方式中设置。")
            % {"code": proposal.rule.sanction_kind},
            code="unknown_sanction_kind",
        )
    ranking = proposal.ranking
    _issue(
        actor=actor,
        kind=kind,
        agency=proposal.agency,
        person=None,
        source_type=SourceType.RANKING,
        source=proposal,
        reason=_("%(scheme)s %(period)s 第 %(rank)s 名：%(label)s。")
        % {
            "scheme": ranking.scheme.name,
            "period": ranking.period.label,
            "rank": proposal.rank,
            "label": proposal.label,
        },
    )


@transaction.atomic
def outcome_issue(*, actor, proposal: OutcomeProposal, reason: str = "") -> OutcomeProposal:
    """作出: the office confirms the proposed outcome (先进单位, 黄牌警告 …)."""
    return _decide(
        actor=actor, proposal=proposal, state=OutcomeProposal.State.ISSUED, reason=reason
    )


@transaction.atomic
def outcome_dismiss(*, actor, proposal: OutcomeProposal, reason: str) -> OutcomeProposal:
    if not (reason or "").strip():
        raise ApplicationError(_("不予采纳须说明理由。"), code="reason_required", field="reason")
    return _decide(
        actor=actor, proposal=proposal, state=OutcomeProposal.State.DISMISSED, reason=reason
    )
