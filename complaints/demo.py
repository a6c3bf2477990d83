"""Demo complaints for ``manage.py seed_demo``: a few hundred cases at every step and light.

Steps:
1. plan each case from ``rng`` alone: accused agency, category, text, the step it
   reaches, how many days ago it was filed, and extras (extension, 督办, rating);
2. file it through ``complaint_submit`` with the submission key ``demo-<n>`` — a
   second run finds the key and leaves the case alone (idempotent);
3. walk it through the real services to its step, as the demo office user and a
   handler of the agency;
4. move its clocks' start back by its age and let the sweep raise the lights,
   so the worklist shows green, yellow and red.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, ComplaintCategory
from organizations.demo_data import LEADER_CODE, OFFICE_CODE
from organizations.models import Agency, StaffProfile
from organizations.roles import Role
from timelimits.models import Deadline
from timelimits.services import apply_schedule
from timelimits.sweep import sweep

S = Complaint.State

# The step each case reaches, with weights: most are closed, every step is represented.
STEPS = [
    (S.SUBMITTED, 20),
    (S.REGISTERED, 12),
    (S.REJECTED, 8),
    (S.PLANNED, 10),
    (S.ROUTED, 20),
    (S.HANDLING, 60),
    (S.CONCLUDED, 15),
    (S.REPLIED, 20),
    (S.CALLED_BACK, 15),
    (S.CLOSED, 115),
    (S.MERGED, 5),
]
ORDER = [S.SUBMITTED, S.REGISTERED, S.PLANNED, S.ROUTED, S.HANDLING, S.CONCLUDED,
         S.REPLIED, S.CALLED_BACK, S.CLOSED]  # fmt: skip

TEXTS = {
    "attitude": [
        (
            "窗口工作人员态度生硬",
            "在{agency}办事大厅咨询材料要求，工作人员不耐烦，说“自己看墙上”，没有解释。",
        ),
        ("接听电话时态度恶劣", "拨打{agency}咨询电话，接线人员语气很冲，没说完就挂断。"),
    ],
    "efficiency": [
        (
            "办理营业执照超期",
            "在{agency}申请的事项承诺5个工作日办结，已过去12个工作日仍无结果，也无人说明原因。",
        ),
        ("材料一次性告知不到位", "{agency}先后三次让我补交不同材料，每次只说一样，来回跑了四趟。"),
    ],
    "fees": [
        (
            "办证被收取不明费用",
            "在{agency}办理证件时被要求交“资料费”80元，没有收费依据，也不给发票。",
        ),
    ],
    "bribery": [
        ("工作人员暗示送礼", "{agency}经办人员暗示“懂点规矩才好办”，之后迟迟不予办理。"),
    ],
    "buck_passing": [
        ("两个部门互相推诿", "{agency}说应该找街道，街道又说是{agency}的职责，事情一个月没人管。"),
    ],
    "openness": [
        ("办事指南与实际不符", "{agency}网站公布的办事指南与窗口要求的材料不一致，白跑一趟。"),
    ],
    "discipline": [
        (
            "上班时间窗口无人",
            "工作日上午十点到{agency}办事，窗口挂着“暂停服务”，等了一个小时无人。",
        ),
    ],
    "law_enforcement": [
        ("执法人员态度粗暴", "{agency}执法人员检查时态度粗暴，未出示证件，当场罚款未开具票据。"),
    ],
    "other": [
        ("预约系统无法使用", "{agency}的网上预约系统连续一周打不开，电话也无人接听。"),
    ],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _plan(rng: random.Random, agencies: list[Agency], categories: list[ComplaintCategory]):
    steps, weights = zip(*STEPS, strict=True)
    for n in range(1, settings.COMPLAINTS_DEMO_CASES + 1):
        agency = rng.choice(agencies)
        category = rng.choice(categories)
        title, text = rng.choice(TEXTS.get(category.code, TEXTS["other"]))
        anonymous = rng.random() < 0.2
        yield {
            "n": n,
            "agency": agency,
            "category": category,
            "title": title,
            "description": text.format(agency=agency.name),
            "anonymous": anonymous,
            "consent": not anonymous and rng.random() < 0.4,
            "name": ""
            if anonymous
            else rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "phone": f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
            "step": rng.choices(steps, weights)[0],
            "age_days": rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 16, 19, 21, 24, 30, 45]),
            "rating": rng.choice([*list(Complaint.Rating.values), ""]),
            "extension": rng.random() < 0.15,
            "supervise": rng.random() < 0.1,
            "outcome": rng.choice(Complaint.Outcome.values),
        }


def _handler_for(agency: Agency, office):
    profile = (
        StaffProfile.objects.filter(
            agency=agency, user__groups__name=Role.HANDLER, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    return profile.user if profile else office


def _walk(c: Complaint, case: dict, office, clerk) -> Complaint:
    target = case["step"]
    if target == S.REJECTED:
        return services.complaint_reject(
            complaint=c, actor=office, reason="属于信访事项，已告知信访渠道。"
        )
    if target == S.MERGED:
        return c  # merged at the end, into an open case against the same agency
    reach = ORDER.index(target)
    agency = c.agency_accused
    do = [
        lambda c: services.complaint_register(complaint=c, actor=office),
        lambda c: services.complaint_plan(
            complaint=c,
            actor=office,
            routing="transfer",
            agency=agency,
            note="转被投诉单位调查处理。",
        ),
        lambda c: services.complaint_plan_approve(complaint=c, actor=office),
        lambda c: services.complaint_sign_for(complaint=c, actor=clerk),
        lambda c: services.complaint_conclude(
            complaint=c,
            actor=clerk,
            outcome=case["outcome"],
            findings="经调阅记录、询问当事人，情况基本清楚。",
            remedies=[]
            if case["outcome"] == "unfounded"
            else [
                services.RemedySpec(kind="apology", against_agency=agency, against_person="经办人")
            ],
        ),
        lambda c: services.complaint_reply(
            complaint=c, actor=clerk, text="您好，经调查核实，已对相关人员批评教育，并向您致歉。"
        ),
        lambda c: services.complaint_callback(
            complaint=c, actor=office, satisfaction=case["rating"] or "basic"
        ),
        lambda c: services.complaint_close(complaint=c, actor=office),
    ]
    for step in do[:reach]:
        if c.state == S.HANDLING and case["extension"] and not c.extensions.exists():
            request = services.complaint_request_extension(
                complaint=c, actor=clerk, reason="需调取外单位材料。"
            )
            services.complaint_decide_extension(request=request, actor=office, approve=True)
        c = step(c)
    if case["supervise"] and c.state in (S.ROUTED, S.HANDLING):
        services.complaint_supervise(
            complaint=c, actor=office, instruction="请加快办理，按期反馈。"
        )
    if case["rating"] and c.state in (S.REPLIED, S.CALLED_BACK, S.CLOSED):
        c = services.complaint_rate(complaint=c, rating=case["rating"])
    return c


def _age(c: Complaint, days: int, now: dt.datetime) -> None:
    """Move the case and its open clocks back by ``days`` (the demo's history)."""
    if not days:
        return
    shift = dt.timedelta(days=days)
    stamps = ["submitted_at", "registered_at", "routed_at", "return_due_at", "signed_at",
              "concluded_at", "replied_at", "rated_at", "closed_at"]  # fmt: skip
    Complaint.objects.filter(pk=c.pk).update(
        **{f: F(f) - shift for f in stamps if getattr(c, f) is not None}
    )
    open_clocks = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Complaint),
        subject_id=c.pk,
        state__in=["running", "paused"],
    ).select_related("policy")
    for deadline in open_clocks:
        deadline.started_at -= shift
        apply_schedule(deadline, now=now)
        deadline.save()


def seed(*, rng: random.Random, stdout) -> None:
    User = get_user_model()
    office = User.objects.filter(username="demo-office").first()
    if office is None:
        stdout.write("complaints: no demo office user (organizations demo missing); skipped")
        return
    agencies = list(
        Agency.objects.filter(is_active=True).exclude(code__in=[OFFICE_CODE, LEADER_CODE])
    )
    categories = list(ComplaintCategory.objects.filter(is_active=True))
    now = timezone.now()
    created, to_merge = 0, []
    for case in _plan(rng, agencies, categories):
        result = services.complaint_submit(
            category=case["category"],
            agency_accused=case["agency"],
            title=case["title"],
            description=case["description"],
            anonymous=case["anonymous"],
            consent_share_identity=case["consent"],
            complainant_name=case["name"],
            complainant_phone=case["phone"],
            submission_key=f"demo-{case['n']}",
            channel="demo",
        )
        if not result.created:
            continue
        created += 1
        clerk = _handler_for(case["agency"], office)
        c = _walk(result.complaint, case, office, clerk)
        if case["step"] == S.MERGED:
            to_merge.append(c)
        _age(c, case["age_days"], now)
    for c in to_merge:
        target = (
            Complaint.objects.filter(agency_accused=c.agency_accused, state=S.HANDLING)
            .exclude(pk=c.pk)
            .first()
        )
        if target is not None:
            services.complaint_merge(
                source=c, target=target, actor=office, reason="同一事项，合并办理。"
            )
    changed = sweep(now=now).changed if created else 0
    stdout.write(f"complaints: {created} demo cases filed, {changed} lights raised")
