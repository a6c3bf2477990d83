"""The demo seeder files complaints at every step through the services, idempotently."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from complaints.models import Complaint


def test_seed_demo_files_complaints_at_many_steps_and_a_second_run_adds_none(db, settings):
    settings.COMPLAINTS_DEMO_CASES = 40
    call_command("seed_demo", stdout=io.StringIO())
    states = set(Complaint.objects.values_list("state", flat=True))
    assert len(states) >= 6
    assert {"submitted", "handling", "closed"} <= states
    count = Complaint.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Complaint.objects.count() == count == 40


# The timeline verb that sets each of a case's time stamps.
STAMPS = {
    "submit": "submitted_at",
    "register": "registered_at",
    "approve_plan": "routed_at",
    "sign_for": "signed_at",
    "conclude": "concluded_at",
    "reply": "replied_at",
    "close": "closed_at",
}
RANK = {"green": 0, "yellow": 1, "red": 2}


def test_every_demo_case_is_dated_by_its_own_times_and_its_lights_follow_from_its_clocks(
    db, settings
):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from timelimits.clock import derive
    from timelimits.models import Deadline, DeadlineEvent

    settings.COMPLAINTS_DEMO_CASES = 40
    before = timezone.now()
    call_command("seed_demo", stdout=io.StringIO())
    after = timezone.now()
    complaint_type = ContentType.objects.get_for_model(Complaint)
    cases = list(Complaint.objects.prefetch_related("events"))
    assert min(c.submitted_at for c in cases) < before - dt.timedelta(days=10)  # aged, not all now
    for c in cases:
        events = sorted(c.events.all(), key=lambda e: (e.occurred_at, e.pk))
        assert events[0].verb == "submit" and events[0].occurred_at == c.submitted_at
        assert all(c.submitted_at <= e.occurred_at <= after for e in events), c.tracking_no
        for verb, stamp in STAMPS.items():
            if getattr(c, stamp) is not None:
                dated = [e.occurred_at for e in events if e.verb == verb]
                assert getattr(c, stamp) in dated, f"{c.tracking_no}: {stamp} has no {verb} event"
        clocks = Deadline.objects.filter(subject_type=complaint_type, subject_id=c.pk)
        for d in clocks:
            assert d.started_at >= c.submitted_at, (
                f"{c.tracking_no} {d.kind} starts before the case"
            )
            moments = DeadlineEvent.objects.filter(deadline=d).values_list("at", flat=True)
            assert all(c.submitted_at <= at <= after for at in moments), f"{c.tracking_no} {d.kind}"
            span = dict(warn_at=d.warn_at, due_at=d.due_at, escalate_at=d.escalate_at)
            if d.stopped_at is not None:
                assert d.light == derive(now=d.stopped_at, **span)[0], f"{c.tracking_no} {d.kind}"
            else:
                # The last sweep ran at some moment between the two.
                low, high = derive(now=before, **span)[0], derive(now=after, **span)[0]
                assert RANK[low] <= RANK[d.light] <= RANK[high], f"{c.tracking_no} {d.kind}"
    lights = set(
        Deadline.objects.filter(state="running", subject_type=complaint_type).values_list(
            "light", flat=True
        )
    )
    assert {"green", "red"} <= lights


def test_demo_public_cases_read_like_real_ones_with_replies_that_fit_their_outcome(db, settings):
    from complaints.models import ComplaintCategory
    from organizations.models import Agency, AgencyCategory

    settings.COMPLAINTS_DEMO_CASES = 60
    call_command("seed_demo", stdout=io.StringIO())
    answered = list(Complaint.objects.exclude(reply_text="").prefetch_related("remedies"))
    assert answered
    for c in answered:
        kinds = {r.kind for r in c.remedies.all() if r.round_no == c.round_no}
        if c.outcome == "unfounded":  # explains why it was not founded, takes no remedy
            assert "投诉不成立" in c.reply_text and not kinds, c.tracking_no
        else:  # states what was wrong and the remedy taken
            label = "部分成立" if c.outcome == "partly" else "投诉成立"
            assert label in c.reply_text and kinds, c.tracking_no
            assert "不成立" not in c.reply_text, c.tracking_no
        assert c.public_reply, c.tracking_no  # published, masked text is there
    cases = list(Complaint.objects.all())
    assert len({c.title for c in cases}) >= 8  # varied, not one template
    assert len({c.reply_text for c in answered}) >= 5
    assert {c.channel for c in cases} >= {"web", "12345"}
    assert not Complaint.objects.exclude(channel__in=Complaint.Channel.values).exists()
    assert not Agency.objects.filter(name_en="").exists()
    assert not AgencyCategory.objects.filter(name_en="").exists()
    assert not ComplaintCategory.objects.filter(name_en="").exists()
