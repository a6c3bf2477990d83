"""办理轮次: a reopen keeps the round that ends — its finding, reply and rating are never erased."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import DatabaseError, transaction

from complaints import clocks, selectors, services, steps
from complaints.models import ROUND_FIELDS, Complaint, HandlingRound, Remedy
from efficiency_portal.errors import ApplicationError
from tests.complaints.conftest import answer

S = Complaint.State
R = Complaint.Rating


def _reopened(complaint, walk, *, comment="没有解决") -> Complaint:
    c = walk(complaint, S.REPLIED)
    c = services.complaint_rate(complaint=c, rating=R.DISSATISFIED, comment=comment)
    return services.complaint_reopen(complaint=c, reason="窗口仍然推诿")


def _second_round(c, clerk, *, rating=R.SATISFIED) -> Complaint:
    c = services.complaint_conclude(
        complaint=c,
        actor=clerk,
        outcome=Complaint.Outcome.FOUNDED,
        findings="复查发现窗口确未一次性告知。",
        remedies=[services.RemedySpec(kind="apology", against_agency=c.handling_agency)],
    )
    c = answer(c, clerk=clerk, text="经复查，投诉属实，已向您道歉。")
    return services.complaint_rate(complaint=c, rating=rating)


def test_reopened_case_keeps_its_first_round_finding_reply_and_rating(new_complaint, walk, clerk_a):
    c = _reopened(new_complaint, walk)
    first = HandlingRound.objects.get(complaint=c)
    assert first.number == 1
    assert first.outcome == Complaint.Outcome.UNFOUNDED
    assert first.findings == "经调取监控核实，工作人员已按规定一次性告知。"
    assert first.reply_text == "经核实，情况如下……"
    assert first.concluded_at and first.replied_at and first.rated_at
    assert (first.citizen_rating, first.citizen_comment) == (R.DISSATISFIED, "没有解决")
    assert (first.reopen_reason, first.reopened_at) == ("窗口仍然推诿", c.reopened_at)
    # The complaint starts round 2 with nothing of round 1 in its current fields.
    c.refresh_from_db()
    assert c.round_no == 2
    assert all(getattr(c, name) in ("", None) for name in ROUND_FIELDS)

    c = _second_round(c, clerk_a)
    first.refresh_from_db()
    assert (first.outcome, first.reply_text, first.citizen_rating) == (
        Complaint.Outcome.UNFOUNDED,
        "经核实，情况如下……",
        R.DISSATISFIED,
    )
    assert (c.outcome, c.reply_text, c.citizen_rating) == (
        Complaint.Outcome.FOUNDED,
        "经复查，投诉属实，已向您道歉。",
        R.SATISFIED,
    )
    rounds = selectors.complaint_rounds(complaint=c)
    assert [(r.number, r.is_current, r.reply_text) for r in rounds] == [
        (1, False, "经核实，情况如下……"),
        (2, True, "经复查，投诉属实，已向您道歉。"),
    ]


def test_a_reopen_that_is_refused_keeps_no_round(new_complaint, walk):
    c = walk(new_complaint, S.REPLIED)
    services.complaint_rate(complaint=c, rating=R.BASIC)
    with pytest.raises(ApplicationError, match="只有评价为“不满意”时才能申请重新办理。"):
        services.complaint_reopen(complaint=c, reason="想重办")
    assert not HandlingRound.objects.filter(complaint=c).exists()


def test_the_callback_of_the_first_round_is_kept_and_not_counted_for_the_second(
    new_complaint, walk
):
    c = walk(new_complaint, S.CALLED_BACK)
    c = services.complaint_rate(complaint=c, rating=R.DISSATISFIED)
    c = services.complaint_reopen(complaint=c, reason="不满意")
    assert HandlingRound.objects.get(complaint=c).callback_rating == R.BASIC
    assert c.callback_rating == "" and c.closed_at is None


def test_remedies_belong_to_the_round_that_decided_them(new_complaint, walk, clerk_a):
    c = walk(new_complaint, S.HANDLING)
    c = services.complaint_conclude(
        complaint=c,
        actor=clerk_a,
        outcome=Complaint.Outcome.PARTLY,
        findings="部分属实。",
        remedies=[services.RemedySpec(kind="self_criticism", against_agency=c.handling_agency)],
    )
    c = _reopened(c, walk)
    _second_round(c, clerk_a)
    assert sorted(Remedy.objects.filter(complaint=c).values_list("round_no", "kind")) == [
        (1, "self_criticism"),
        (2, "apology"),
    ]


def test_a_kept_round_cannot_be_rewritten_or_deleted(new_complaint, walk):
    c = _reopened(new_complaint, walk)
    for write in (
        lambda: HandlingRound.objects.filter(complaint=c).update(reply_text="改写"),
        lambda: HandlingRound.objects.filter(complaint=c).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            write()
    assert HandlingRound.objects.get(complaint=c).reply_text == "经核实，情况如下……"


def test_round_fields_are_declared_alike_on_the_complaint_and_the_round():
    """ROUND_FIELDS are copied one to one at a reopen: a field added to one model only, or
    declared differently, would lose or truncate what the round held."""
    for name in ROUND_FIELDS:
        ours, theirs = Complaint._meta.get_field(name), HandlingRound._meta.get_field(name)
        assert type(ours) is type(theirs), name
        for attr in ("max_length", "choices", "null", "blank", "verbose_name"):
            assert getattr(ours, attr) == getattr(theirs, attr), (name, attr)


def _reopen_as_before_rounds(c: Complaint) -> Complaint:
    """What ``complaint_reopen`` did before rounds: clear outcome and rating, keep no round."""
    c = steps.lock(c)
    for kind in (clocks.REPLY, clocks.CALLBACK):
        clocks.stop(c, kind, actor=None, cancel=True)
    c = steps.move(
        c,
        action="reopen",
        public="已按您的要求重新办理。",
        note="问题没有解决",
        reopened_at=steps.now(),
        outcome="",
        citizen_rating="",
        closed_at=None,
    )
    clocks.start(c, clocks.HANDLE, agency=c.handling_agency, responsible=c.responsible)
    return c


def test_migration_gives_complaints_reopened_before_rounds_their_first_round_back(
    new_complaint, agency_a, attitude, centre, walk, clerk_a
):
    from tests.complaints.conftest import submit

    migration = importlib.import_module(
        "complaints.migrations.0009_keep_first_round_of_reopened_complaints"
    )
    # Reopened and handled again: the first reply was overwritten and is lost for good.
    again = walk(new_complaint, S.REPLIED)
    again = services.complaint_rate(complaint=again, rating=R.DISSATISFIED, comment="没解决")
    again = _reopen_as_before_rounds(again)
    again = _second_round(again, clerk_a, rating=R.BASIC)
    # Reopened and still in handling: everything of round 1 is still somewhere.
    waiting = walk(submit(agency=agency_a, category=attitude).complaint, S.CALLED_BACK)
    waiting = services.complaint_rate(complaint=waiting, rating=R.DISSATISFIED, comment="差")
    waiting = _reopen_as_before_rounds(waiting)

    migration.keep_first_rounds(apps, None)
    migration.keep_first_rounds(apps, None)  # a second run finds nothing left to do

    first = HandlingRound.objects.get(complaint=again)
    assert (first.number, first.outcome, first.citizen_rating) == (
        1,
        Complaint.Outcome.UNFOUNDED,
        R.DISSATISFIED,
    )
    assert first.findings == "经调取监控核实，工作人员已按规定一次性告知。"
    assert first.replied_at and first.reply_text == ""
    assert first.reopen_reason == "问题没有解决"
    again.refresh_from_db()
    assert (again.round_no, again.outcome, again.citizen_rating) == (
        2,
        Complaint.Outcome.FOUNDED,
        R.BASIC,
    )
    assert again.reply_text == "经复查，投诉属实，已向您道歉。"
    assert list(again.remedies.values_list("round_no", flat=True)) == [2]

    first = HandlingRound.objects.get(complaint=waiting)
    assert (first.reply_text, first.callback_rating, first.citizen_comment) == (
        "经核实，情况如下……",
        R.BASIC,
        "差",
    )
    waiting.refresh_from_db()
    assert waiting.round_no == 2
    assert all(getattr(waiting, name) in ("", None) for name in ROUND_FIELDS)
