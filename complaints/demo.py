"""Demo complaints for ``manage.py seed_demo``: a few hundred cases at every step and light.

Steps:
1. plan each case from ``rng`` alone: accused agency, category, its story (title,
   matter, and for each outcome the findings, the reply and the remedies that fit it:
   ``demo_cases``), the channel, the step it reaches, how many days ago it was filed,
   and extras (extension, 督办, rating);
2. file it through ``complaint_submit`` with the submission key ``demo-<n>`` — a
   second run finds the key and leaves the case alone (idempotent);
3. replay its life at its own times: it is filed ``age_days`` ago and each later
   step follows after a plausible delay (squeezed to fit before now), each step
   through the real services as the demo office user (another office member approves
   the plans it proposes) or a handler of the agency;
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

from complaints import selectors, services
from complaints.demo_cases import (
    CHANNELS,
    EXTENSION_REASONS,
    REJECT_REASONS,
    STORIES,
    SUPERVISE_INSTRUCTIONS,
    Finding,
    Story,
)
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

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _plan(rng: random.Random, agencies: list[Agency], categories: list[ComplaintCategory]):
    steps, weights = zip(*STEPS, strict=True)
    channels, channel_weights = zip(*CHANNELS, strict=True)
    for n in range(1, settings.COMPLAINTS_DEMO_CASES + 1):
        agency = rng.choice(agencies)
        category = rng.choice(categories)
        story = rng.choice(STORIES.get(category.code, STORIES["other"]))
        anonymous = rng.random() < 0.2
        yield {
            "n": n,
            "agency": agency,
            "category": category,
            "story": story,
            "anonymous": anonymous,
            "consent": not anonymous and rng.random() < 0.4,
            "name": ""
            if anonymous
            else rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "phone": f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
            "channel": rng.choices(channels, channel_weights)[0],
            "step": rng.choices(steps, weights)[0],
            "age_days": rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 16, 19, 21, 24, 30, 45]),
            "rating": rng.choice([*list(Complaint.Rating.values), ""]),
            "extension": rng.random() < 0.15,
            "supervise": rng.random() < 0.1,
            "outcome": rng.choice(Complaint.Outcome.values),
            "reject_reason": rng.choice(REJECT_REASONS),
            "extension_reason": rng.choice(EXTENSION_REASONS),
            "instruction": rng.choice(SUPERVISE_INSTRUCTIONS),
        }


# Remedies a person answers for; the others (an apology, a refund) are the unit's.
PERSONAL_REMEDIES = {"self_criticism", "transfer_post", "penalty", "notice_criticism"}


def _remedies(story: Story, finding: Finding, agency: Agency) -> list[services.RemedySpec]:
    return [
        services.RemedySpec(
            kind=kind,
            against_agency=agency,
            against_person=story.accused_person if kind in PERSONAL_REMEDIES else "",
            amount=story.refund if kind == "refund" else None,
        )
        for kind in finding.remedies
    ]


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


def _approver_for(office):
    """Another member of the efficiency office: who proposes a plan does not approve it."""
    other = (
        get_user_model()
        .objects.filter(
            groups__name=Role.EFFICIENCY_OFFICE,
            is_active=True,
            staff_profile__agency__code=OFFICE_CODE,
        )
        .exclude(pk=office.pk)
        .order_by("username")
        .first()
    )
    return other or office


def _steps(case: dict, office, clerk, agency, approver=None) -> list[tuple[float, Callable]]:
    """(hours after the previous step, service call) for each step up to the case's."""
    target = case["step"]
    story: Story = case["story"]
    finding = story.finding(case["outcome"])
    if target == S.REJECTED:
        reason = case["reject_reason"]
        return [
            (
                REJECT_HOURS,
                lambda c: services.complaint_reject(complaint=c, actor=office, reason=reason),
            )
        ]
    if target == S.MERGED:
        return []  # merged at the end, into an open case against the same agency
    life = [
        lambda c: services.complaint_register(complaint=c, actor=office),
        lambda c: services.complaint_plan(
            complaint=c,
            actor=office,
            routing="transfer",
            agency=agency,
            note="转被投诉单位调查处理。",
        ),
        lambda c: services.complaint_plan_approve(complaint=c, actor=approver or office),
        lambda c: services.complaint_sign_for(complaint=c, actor=clerk),
        lambda c: services.complaint_conclude(
            complaint=c,
            actor=clerk,
            outcome=case["outcome"],
            findings=finding.findings.format(agency=agency.name),
            remedies=_remedies(story, finding, agency),
        ),
        _replies(clerk, office, text=finding.reply.format(agency=agency.name)),
        lambda c: services.complaint_callback(
            complaint=c, actor=office, satisfaction=case["rating"] or "basic"
        ),
        _closes(office),
    ]
    steps = list(zip(STEP_HOURS, life[: ORDER.index(target)], strict=False))
    if case["extension"] and len(steps) >= 4:  # handling: the clerk asks for more time
        asked, decided = EXTENSION_HOURS
        steps[4:4] = [
            (asked, _requests_extension(clerk, case["extension_reason"])),
            (decided, _grants_extension(office)),
        ]
    if case["supervise"] and target in (S.ROUTED, S.HANDLING):
        steps.append((6, _supervises(office, case["instruction"])))
        if target == S.HANDLING and case["age_days"] >= 5:  # older ones answered, the rest await
            steps.append((24, _answers_supervision(clerk)))
    if case["rating"] and target in (S.REPLIED, S.CALLED_BACK, S.CLOSED):
        steps.append((12, lambda c: services.complaint_rate(complaint=c, rating=case["rating"])))
    return steps


def _closes(office) -> Callable:
    """The office files the case; one that waits for a leader's 批示 (an upheld complaint with
    a sanction) gets it first from the demo leader."""

    def step(c: Complaint) -> Complaint:
        leader = get_user_model().objects.filter(username="demo-leader").first()
        if leader is not None and c.endorsements.filter(endorsed_at__isnull=True).exists():
            services.complaint_endorse(
                complaint=c, actor=leader, text="同意处理意见，请效能办跟踪整改落实。"
            )
        return services.complaint_close(complaint=c, actor=office)

    return step


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


def _requests_extension(clerk, reason: str) -> Callable:
    def step(c: Complaint) -> Complaint:
        services.complaint_request_extension(complaint=c, actor=clerk, reason=reason)
        return Complaint.objects.get(pk=c.pk)

    return step


def _grants_extension(office) -> Callable:
    def step(c: Complaint) -> Complaint:
        request = c.extensions.get()
        services.complaint_decide_extension(request=request, actor=office, approve=True)
        return Complaint.objects.get(pk=c.pk)

    return step


def _answers_supervision(clerk) -> Callable:
    def step(c: Complaint) -> Complaint:
        supervision = c.supervisions.filter(answered_at__isnull=True).first()
        # An agency without a handler of its own (the office stands in) leaves it unanswered.
        if supervision is not None and selectors.supervision_may_answer(clerk, supervision):
            services.complaint_supervision_answer(
                supervision=supervision, actor=clerk, answer="已按督办意见加快办理，情况如下……"
            )
        return Complaint.objects.get(pk=c.pk)

    return step


def _supervises(office, instruction: str) -> Callable:
    def step(c: Complaint) -> Complaint:
        services.complaint_supervise(complaint=c, actor=office, instruction=instruction)
        return Complaint.objects.get(pk=c.pk)

    return step


def _file(case: dict, *, submitted: dt.datetime):
    with _at(submitted):
        return services.complaint_submit(
            category=case["category"],
            agency_accused=case["agency"],
            title=case["story"].title,
            description=case["story"].description.format(agency=case["agency"].name),
            accused_person=case["story"].accused_person,
            anonymous=case["anonymous"],
            consent_share_identity=case["consent"],
            complainant_name=case["name"],
            complainant_phone=case["phone"],
            submission_key=f"demo-{case['n']}",
            channel=case["channel"],
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
    approver = _approver_for(office)
    created, to_merge = 0, []
    for case in _plan(rng, agencies, categories):
        submitted = now - dt.timedelta(days=case["age_days"], hours=1 + rng.random() * 2)
        result = _file(case, submitted=submitted)
        if not result.created:
            continue
        created += 1
        clerk = _handler_for(case["agency"], office)
        steps = _steps(case, office, clerk, case["agency"], approver)
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
