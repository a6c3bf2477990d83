"""Demo data of supervision for ``manage.py seed_demo`` (runs after the other apps' demos).

Steps (each idempotent: a second run changes nothing):
1. record a few inspections (明察暗访) with findings, through the services, so there are
   rectifications — one answered, one overdue (a red card);
2. rebuild the rollup from the demo cases, clocks and cards;
3. compute and publish the current quarter's ranking, and issue its first 黄牌警告;
4. enter a few sanctions (三次诫勉谈话 of one person → a proposed 效能告诫);
5. draft and publish last week's bulletin.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints.models import Complaint
from organizations.demo_data import LEADER_CODE, OFFICE_CODE
from organizations.models import Agency, StaffProfile
from organizations.roles import Role
from supervision import periods, services
from supervision.models import (
    Inspection,
    OutcomeProposal,
    Ranking,
    RankingScheme,
    Sanction,
    SanctionKind,
    SourceType,
)
from supervision.rollup import rollup_rebuild
from supervision.services.inspections import RECTIFY
from timelimits.services import apply_schedule, deadline_current
from timelimits.sweep import sweep

FINDINGS = [
    ("on_post", "上午10时许窗口无人值守，群众等候约20分钟。"),
    ("discipline", "工作人员上班时间使用手机看视频。"),
    ("public_notice", "办事指南未更新，收费标准未公示。"),
    ("duty_board", "今日在岗公示显示在岗的两名工作人员实际不在岗。"),
]
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class _Photo:
    """An uploaded file's shape (name, read) for the services' checks."""

    def __init__(self, name: str, content: bytes):
        self.name, self._content = name, content

    def read(self, size: int = -1) -> bytes:
        return self._content


def _inspections(rng: random.Random, office, agencies: list[Agency]) -> int:
    if Inspection.objects.filter(place__startswith="演示").exists():
        return 0
    made = 0
    today = timezone.localdate()
    for n, agency in enumerate(rng.sample(agencies, min(6, len(agencies)))):
        code, text = FINDINGS[n % len(FINDINGS)]
        inspection = services.inspection_record(
            actor=office,
            kind=rng.choice(["open", "covert"]),
            date=today - dt.timedelta(days=rng.randint(0, 20)),
            agency=agency,
            place=f"演示：{agency.short_name or agency.name}办事大厅",
            checks={code: ("fail", ""), "attitude": ("pass", "")},
            findings=[
                services.FindingSpec(
                    description=text, item_code=code, photos=[_Photo("现场.png", _PNG)]
                )
            ],
        )
        rectification = inspection.findings.get().rectification
        if n == 0:  # overdue: its clock started long ago → a red card of the agency
            deadline = deadline_current(subject=rectification, kind=RECTIFY)
            deadline.started_at -= dt.timedelta(days=20)
            apply_schedule(deadline, now=timezone.now())
            deadline.save()
        elif n == 1:
            clerk = StaffProfile.objects.filter(
                agency=agency, user__groups__name=Role.HANDLER
            ).first()
            if clerk is not None:
                services.rectification_answer(
                    actor=clerk.user, rectification=rectification, text="已整改，附现场照片。"
                )
        made += 1
    sweep(now=timezone.now())
    return made


def _ranking(office) -> Ranking | None:
    scheme = RankingScheme.objects.filter(code="quarterly", is_active=True).first()
    period = periods.current(periods.QUARTER)
    if scheme is None:
        return None
    existing = Ranking.objects.filter(
        code=scheme.code, period_kind=period.kind, period_start=period.start
    ).first()
    if existing is not None:
        return existing
    ranking = services.ranking_compute(actor=office, scheme=scheme, period=period)
    if not ranking.rows.filter(rank__isnull=False).exists():
        return ranking
    services.ranking_publish(actor=office, ranking=ranking)
    first = (
        OutcomeProposal.objects.filter(ranking=ranking, label="黄牌警告").order_by("rank").first()
    )
    if first is not None:
        services.outcome_issue(actor=office, proposal=first)
    return ranking


def _sanctions(office) -> int:
    if Sanction.objects.filter(source_type=SourceType.COMPLAINT).exists():
        return 0
    upheld = (
        Complaint.objects.filter(outcome__in=["founded", "partly"])
        .select_related("agency_accused")
        .first()
    )
    if upheld is None:
        return 0
    person = StaffProfile.objects.filter(agency=upheld.agency_accused).first()
    talk = SanctionKind.objects.get(code="admonition_talk")
    for n in range(3):
        services.sanction_issue(
            actor=office,
            kind=talk,
            agency=upheld.agency_accused,
            person=person,
            source_type=SourceType.COMPLAINT,
            source=upheld,
            reason="经查投诉属实：窗口服务态度生硬，未一次性告知所需材料。",
            document_no=f"效诫〔{timezone.localdate().year}〕{n + 1}号",
        )
    return 3


def _bulletin(office) -> None:
    bulletin = services.bulletin_draft_last_week()
    if bulletin.state != bulletin.State.PUBLISHED:
        services.bulletin_publish(actor=office, bulletin=bulletin)


def seed(*, rng: random.Random, stdout) -> None:
    office = get_user_model().objects.filter(username="demo-office").first()
    if office is None:
        stdout.write("supervision: no demo office user (organizations demo missing); skipped")
        return
    agencies = list(
        Agency.objects.filter(is_active=True).exclude(code__in=[OFFICE_CODE, LEADER_CODE])
    )
    inspections = _inspections(rng, office, agencies)
    run = rollup_rebuild()
    ranking = _ranking(office)
    sanctions = _sanctions(office)
    services.card_rules_evaluate()
    _bulletin(office)
    stdout.write(
        f"supervision: {inspections} inspections, rollup {run.rows if run else 0} rows, "
        f"ranking {ranking.period_key if ranking else '—'}, {sanctions} sanctions, bulletin"
    )
