"""Demo complaints for ``manage.py seed_demo``: a few hundred cases at every step and light.

Steps:
1. plan each case from ``rng`` alone: accused agency, category, text, the step it
   reaches, how many days ago it was filed, and extras (extension, 督办, rating);
2. file it through ``complaint_submit`` with the submission key ``demo-<n>`` — a
   second run finds the key and leaves the case alone (idempotent);
3. replay its life at its own times: it is filed ``age_days`` ago and each later
   step follows after a plausible delay (squeezed to fit before now), each step
   through the real services as the demo office user or a handler of the agency;
4. let the sweep raise the lights, as it would have, before each step and once
   at the end, so the worklist shows green, yellow and red.

Replaying a step "at" a past moment points ``django.utils.timezone.now`` — the one
clock every service, ``auto_now_add`` column and the deadline engine read — at that
moment for the duration of the call (``_at``). So the case's timeline, its clocks
and their events, its audit rows and notices all carry the case's own times, and
no row is rewritten afterwards: the demo writes only through services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, ComplaintCategory
from organizations.demo_data import LEADER_CODE, OFFICE_CODE
from organizations.models import Agency, StaffProfile
from organizations.roles import Role
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


# Hours from one step to the next in a case's life (before squeezing it into its age):
# registered, planned, approved, signed for, concluded, replied, called back, closed.
STEP_HOURS = [3, 1, 2, 18, 96, 24, 48, 2]
REJECT_HOURS = 3
EXTENSION_HOURS = (24, 2)  # requested a day after signing, decided two hours later


@contextmanager
def _at(moment: dt.datetime) -> Iterator[None]:
    """Run services as if it were ``moment``, having first swept the clocks up to it."""
    sweep(now=moment)
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _moments(submitted: dt.datetime, hours: list[float], *, until: dt.datetime) -> list:
    """The moments of the steps after ``submitted``, squeezed to end before ``until``."""
    total = sum(hours)
    room = (until - submitted).total_seconds() / 3600
    scale = min(1.0, room / total) if total else 1.0
    moments, at = [], submitted
    for step in hours:
        at += dt.timedelta(hours=step * scale)
        moments.append(at)
    return moments


def _steps(case: dict, office, clerk, agency) -> list[tuple[float, Callable]]:
    """(hours after the previous step, service call) for each step up to the case's."""
    target = case["step"]
    if target == S.REJECTED:
        reason = "属于信访事项，已告知信访渠道。"
        return [
            (
                REJECT_HOURS,
                lambda c: services.complaint_reject(complaint=c, actor=office, reason=reason),
            )
        ]
    if target == S.MERGED:
        return []  # merged at the end, into an open case against the same agency
    remedies = (
        []
        if case["outcome"] == "unfounded"
        else [services.RemedySpec(kind="apology", against_agency=agency, against_person="经办人")]
    )
    life = [
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
            remedies=remedies,
        ),
        _replies(clerk, office, text="您好，经调查核实，已对相关人员批评教育，并向您致歉。"),
        lambda c: services.complaint_callback(
            complaint=c, actor=office, satisfaction=case["rating"] or "basic"
        ),
        lambda c: services.complaint_close(complaint=c, actor=office),
    ]
    steps = list(zip(STEP_HOURS, life[: ORDER.index(target)], strict=False))
    if case["extension"] and len(steps) >= 4:  # handling: the clerk asks for more time
        asked, decided = EXTENSION_HOURS
        steps[4:4] = [(asked, _requests_extension(clerk)), (decided, _grants_extension(office))]
    if case["supervise"] and target in (S.ROUTED, S.HANDLING):
        steps.append((6, _supervises(office)))
    if case["rating"] and target in (S.REPLIED, S.CALLED_BACK, S.CLOSED):
        steps.append((12, lambda c: services.complaint_rate(complaint=c, rating=case["rating"])))
    return steps


def _replies(clerk, office, *, text: str) -> Callable:
    """The clerk replies; where the rule table says the office reviews it, the office approves
    the draft (another member of it, when the office handled the case itself)."""

    def step(c: Complaint) -> Complaint:
        c = services.complaint_reply(complaint=c, actor=clerk, text=text)
        if c.state != S.CONCLUDED:
            return c
        reviewer = office
        if reviewer == clerk:
            others = StaffProfile.objects.filter(
                user__groups__name=Role.EFFICIENCY_OFFICE, user__is_active=True
            ).exclude(user=clerk)
            reviewer = next((p.user for p in others.select_related("user")[:1]), office)
        return services.complaint_reply_approve(complaint=c, actor=reviewer)

    return step


def _requests_extension(clerk) -> Callable:
    def step(c: Complaint) -> Complaint:
        services.complaint_request_extension(complaint=c, actor=clerk, reason="需调取外单位材料。")
        return Complaint.objects.get(pk=c.pk)

    return step


def _grants_extension(office) -> Callable:
    def step(c: Complaint) -> Complaint:
        request = c.extensions.get()
        services.complaint_decide_extension(request=request, actor=office, approve=True)
        return Complaint.objects.get(pk=c.pk)

    return step


def _supervises(office) -> Callable:
    def step(c: Complaint) -> Complaint:
        services.complaint_supervise(
            complaint=c, actor=office, instruction="请加快办理，按期反馈。"
        )
        return Complaint.objects.get(pk=c.pk)

    return step


def _file(case: dict, *, submitted: dt.datetime):
    with _at(submitted):
        return services.complaint_submit(
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


def _live(c: Complaint, steps, *, submitted: dt.datetime, until: dt.datetime) -> Complaint:
    """Take the filed case through its steps, each at its own moment."""
    moments = _moments(submitted, [hours for hours, _call in steps], until=until)
    for (_hours, call), moment in zip(steps, moments, strict=True):
        with _at(moment):
            c = call(c)
    return c


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
    # Every step of every case lies before this; the merges and the final sweep follow.
    until = now - dt.timedelta(minutes=30)
    created, to_merge = 0, []
    for case in _plan(rng, agencies, categories):
        submitted = now - dt.timedelta(days=case["age_days"], hours=1 + rng.random() * 2)
        result = _file(case, submitted=submitted)
        if not result.created:
            continue
        created += 1
        clerk = _handler_for(case["agency"], office)
        steps = _steps(case, office, clerk, case["agency"])
        c = _live(result.complaint, steps, submitted=submitted, until=until)
        if case["step"] == S.MERGED:
            to_merge.append(c)
    for c in to_merge:
        target = (
            Complaint.objects.filter(agency_accused=c.agency_accused, state=S.HANDLING)
            .exclude(pk=c.pk)
            .first()
        )
        if target is not None:
            with _at(max(until, c.submitted_at) + dt.timedelta(minutes=10)):
                services.complaint_merge(
                    source=c, target=target, actor=office, reason="同一事项，合并办理。"
                )
    changed = sweep(now=timezone.now()).changed if created else 0
    stdout.write(f"complaints: {created} demo cases filed, {changed} lights raised")
