"""A reviewed decision is taken once, and not by the one who proposed it when that is required."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from common.decisions import ReviewedDecision, decision_record
from efficiency_portal.errors import ApplicationError


@dataclasses.dataclass
class _Decision:
    """The four fields of ReviewedDecision (abstract, so it has no table of its own to save to);
    decision_record only fills them and the caller saves."""

    decided_by: object = None
    decided_at: dt.datetime | None = None
    outcome: str = ""
    decision_note: str = ""


def test_the_abstract_model_carries_the_four_fields_the_stand_in_has():
    names = {f.name for f in ReviewedDecision._meta.get_fields()}
    assert names == {f.name for f in dataclasses.fields(_Decision)}


@pytest.fixture
def two_people(db):
    user = get_user_model()
    return user.objects.create(username="proposer"), user.objects.create(username="reviewer")


def test_a_decision_records_who_when_outcome_and_note(two_people):
    proposer, reviewer = two_people
    decision = decision_record(
        decision=_Decision(), actor=reviewer, outcome="approved", note="同意", proposer=proposer
    )
    assert decision.decided_by == reviewer and decision.decided_at is not None
    assert (decision.outcome, decision.decision_note) == ("approved", "同意")


def test_the_proposer_may_not_decide_their_own_proposal(two_people):
    proposer, _ = two_people
    with pytest.raises(ApplicationError, match="提出人不能审批自己提出的事项"):
        decision_record(decision=_Decision(), actor=proposer, outcome="approved", proposer=proposer)


def test_a_decision_cannot_be_taken_twice(two_people):
    _, reviewer = two_people
    decision = decision_record(decision=_Decision(), actor=reviewer, outcome="approved")
    with pytest.raises(ApplicationError, match="已经作出决定"):
        decision_record(decision=decision, actor=reviewer, outcome="refused")


def test_a_note_is_required_when_the_caller_says_so(two_people):
    _, reviewer = two_people
    with pytest.raises(ApplicationError, match="请填写决定意见"):
        decision_record(
            decision=_Decision(), actor=reviewer, outcome="refused", note="  ", note_required=True
        )
