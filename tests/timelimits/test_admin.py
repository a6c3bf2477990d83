"""Admin: clocks filtered by light and scoped by agency, audited policy edits, the inbox."""

from __future__ import annotations

import pytest
from django.test import Client

from organizations.models import AuditEvent
from organizations.roles import Role
from tests.conftest import login, make_staff
from tests.timelimits.conftest import at
from timelimits.models import Deadline, Notification, TimeLimitPolicy
from timelimits.services import deadline_start, notify
from timelimits.sweep import sweep

pytestmark = pytest.mark.django_db

DEADLINES = "/admin/timelimits/deadline/"


@pytest.fixture
def sysadmin(db, agency_a):
    return make_staff(agency=agency_a, roles=[Role.SYSADMIN], name="周管理")


def test_clerk_sees_red_clocks_of_own_agency_and_not_the_other(agency_a, agency_b, clerk_a):
    mine = deadline_start(
        subject=agency_a, kind="complaint.sign_for", agency=agency_a, started_at=at(2026, 3, 2)
    )
    theirs = deadline_start(
        subject=agency_b, kind="complaint.sign_for", agency=agency_b, started_at=at(2026, 3, 2)
    )
    sweep(now=at(2026, 3, 4))
    html = login(clerk_a).get(DEADLINES, {"light__exact": "red"}).content.decode()
    assert f"/admin/timelimits/deadline/{mine.pk}/change/" in html
    assert f"/admin/timelimits/deadline/{theirs.pk}/change/" not in html
    assert "● 红灯" in html


def test_light_filter_leaves_out_other_lights(agency_a, office_user):
    deadline = deadline_start(subject=agency_a, kind="complaint.sign_for", agency=agency_a)
    html = login(office_user).get(DEADLINES, {"light__exact": "red"}).content.decode()
    assert f"/admin/timelimits/deadline/{deadline.pk}/change/" not in html


def test_clocks_cannot_be_edited_in_the_admin(agency_a, sysadmin):
    deadline = deadline_start(subject=agency_a, kind="complaint.sign_for", agency=agency_a)
    client = login(sysadmin)
    client.post(f"{DEADLINES}{deadline.pk}/change/", {"light": "green", "state": "met"})
    assert Deadline.objects.get(pk=deadline.pk).state == "running"


def test_policy_edit_in_admin_with_ceiling_breach_shows_the_error_and_keeps_input(sysadmin):
    p = TimeLimitPolicy.objects.get(kind="approval.decide", category="")
    data = {
        "kind": p.kind,
        "category": "",
        "name": p.name,
        "limit": "30",
        "unit": "working_days",
        "warn_before": "1",
        "warn_fraction": "",
        "extension_limit": "10",
        "extension_times": "1",
        "statutory_basis": "xkf_art42",
        "is_active": "on",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    response = login(sysadmin).post(f"/admin/timelimits/timelimitpolicy/{p.pk}/change/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "时限超过法定上限（20 个工作日）。" in html
    assert 'value="30"' in html
    assert TimeLimitPolicy.objects.get(pk=p.pk).limit == 20
    assert not AuditEvent.objects.filter(verb__startswith="timelimits.policy").exists()


def test_policy_edit_in_admin_is_audited(sysadmin):
    p = TimeLimitPolicy.objects.get(kind="complaint.callback", category="")
    data = {
        "kind": p.kind,
        "category": "",
        "name": p.name,
        "limit": "4",
        "unit": "working_days",
        "warn_before": "1",
        "warn_fraction": "",
        "extension_limit": "0",
        "extension_times": "0",
        "statutory_basis": "",
        "is_active": "on",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    # The callback policy has a ladder; keep it by posting its rows back unchanged.
    steps = list(p.steps.all())
    data["steps-TOTAL_FORMS"] = data["steps-INITIAL_FORMS"] = str(len(steps))
    for i, step in enumerate(steps):
        data.update(
            {
                f"steps-{i}-id": str(step.pk),
                f"steps-{i}-policy": str(p.pk),
                f"steps-{i}-level": str(step.level),
                f"steps-{i}-delay": str(step.delay),
                f"steps-{i}-delay_unit": step.delay_unit,
                f"steps-{i}-notify": ",".join(step.notify),
                f"steps-{i}-channels": ",".join(step.channels),
                f"steps-{i}-proposal": step.proposal,
            }
        )
    response = login(sysadmin).post(f"/admin/timelimits/timelimitpolicy/{p.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TimeLimitPolicy.objects.get(pk=p.pk).limit == 4
    event = AuditEvent.objects.get(verb="timelimits.policy.update")
    assert event.actor == sysadmin and event.data["limit"] == 4


def _policy_form(p, *, delay_first_by: int = 0, delete_last: bool = False) -> dict:
    """The policy's change form as a browser sends it, its ladder rows included."""
    data = {
        "kind": p.kind,
        "category": "",
        "name": p.name,
        "limit": str(p.limit),
        "unit": p.unit,
        "warn_before": "" if p.warn_before is None else str(p.warn_before),
        "warn_fraction": "" if p.warn_fraction is None else str(p.warn_fraction),
        "extension_limit": str(p.extension_limit),
        "extension_times": str(p.extension_times),
        "statutory_basis": p.statutory_basis,
        "is_active": "on",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    steps = list(p.steps.order_by("level"))
    data["steps-TOTAL_FORMS"] = data["steps-INITIAL_FORMS"] = str(len(steps))
    for i, step in enumerate(steps):
        data.update(
            {
                f"steps-{i}-id": str(step.pk),
                f"steps-{i}-policy": str(p.pk),
                f"steps-{i}-level": str(step.level),
                f"steps-{i}-delay": str(step.delay + (delay_first_by if i == 0 else 0)),
                f"steps-{i}-delay_unit": step.delay_unit,
                f"steps-{i}-notify": ",".join(step.notify),
                f"steps-{i}-channels": ",".join(step.channels),
                f"steps-{i}-proposal": step.proposal,
            }
        )
    if delete_last:
        data[f"steps-{len(steps) - 1}-DELETE"] = "on"
    return data


def test_changing_a_policys_ladder_in_the_admin_is_audited_with_the_ladder_before_and_after(
    sysadmin,
):
    p = TimeLimitPolicy.objects.get(kind="complaint.callback", category="")
    first = p.steps.order_by("level").first()
    assert first is not None, "the seeded callback policy has a ladder"
    response = login(sysadmin).post(
        f"/admin/timelimits/timelimitpolicy/{p.pk}/change/", _policy_form(p, delay_first_by=1)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert p.steps.get(level=first.level).delay == first.delay + 1
    event = AuditEvent.objects.get(verb="timelimits.policy.update")
    assert event.actor == sysadmin
    old, new = event.data["changes"]["steps"]
    assert old[0]["delay"] == first.delay and new[0]["delay"] == first.delay + 1
    assert list(event.data["changes"]) == ["steps"]  # nothing else changed


def test_removing_a_rung_of_the_ladder_in_the_admin_is_audited(sysadmin):
    p = TimeLimitPolicy.objects.get(kind="complaint.callback", category="")
    levels = list(p.steps.order_by("level").values_list("level", flat=True))
    response = login(sysadmin).post(
        f"/admin/timelimits/timelimitpolicy/{p.pk}/change/", _policy_form(p, delete_last=True)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(p.steps.order_by("level").values_list("level", flat=True)) == levels[:-1]
    old, new = AuditEvent.objects.get(verb="timelimits.policy.update").data["changes"]["steps"]
    assert [s["level"] for s in old] == levels and [s["level"] for s in new] == levels[:-1]


def test_handler_cannot_change_policies(clerk_a):
    p = TimeLimitPolicy.objects.get(kind="complaint.handle", category="")
    response = login(clerk_a).get(f"/admin/timelimits/timelimitpolicy/{p.pk}/change/")
    assert response.status_code == 403


def test_inbox_shows_own_unread_notices_only_and_opening_one_does_not_mark_it_read(
    clerk_a, clerk_b
):
    notify(recipient=clerk_a, subject="您有一件投诉待签收", dedupe_key="t:1")
    notify(recipient=clerk_b, subject="别人的通知", dedupe_key="t:2")
    client = login(clerk_a)
    html = client.get("/admin/timelimits/notification/").content.decode()
    assert "我的通知（1 条未读）" in html
    assert "您有一件投诉待签收" in html
    assert "别人的通知" not in html
    mine = Notification.objects.get(recipient=clerk_a)
    theirs = Notification.objects.get(recipient=clerk_b)
    assert client.get(f"/admin/timelimits/notification/{theirs.pk}/change/").status_code == 302
    page = client.get(f"/admin/timelimits/notification/{mine.pk}/change/")
    assert page.status_code == 200
    assert Notification.objects.get(pk=mine.pk).read_at is None  # a GET changes nothing
    assert f"/admin/timelimits/notification/{mine.pk}/read/" in page.content.decode()


def test_marking_a_notice_read_is_a_post_with_csrf_and_only_for_its_recipient(clerk_a, clerk_b):
    notify(recipient=clerk_a, subject="您有一件投诉待签收", dedupe_key="t:1")
    notify(recipient=clerk_b, subject="别人的通知", dedupe_key="t:2")
    mine = Notification.objects.get(recipient=clerk_a)
    theirs = Notification.objects.get(recipient=clerk_b)
    client = login(clerk_a)
    assert client.get(f"/admin/timelimits/notification/{mine.pk}/read/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clerk_a)
    assert strict.post(f"/admin/timelimits/notification/{mine.pk}/read/").status_code == 403
    assert Notification.objects.get(pk=mine.pk).read_at is None
    assert client.post(f"/admin/timelimits/notification/{mine.pk}/read/").status_code == 302
    assert client.post(f"/admin/timelimits/notification/{theirs.pk}/read/").status_code == 302
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    event = AuditEvent.objects.get(verb="notification.read")
    assert event.actor == clerk_a and event.data == {"notifications": [mine.pk]}


def test_admin_index_shows_the_unread_count_and_links_to_the_inbox(clerk_a, clerk_b):
    notify(recipient=clerk_a, subject="红灯", dedupe_key="t:3")
    notify(recipient=clerk_a, subject="黄灯", dedupe_key="t:4")
    html = login(clerk_a).get("/admin/").content.decode()
    assert "您有 2 条未读通知" in html
    assert "/admin/timelimits/notification/?unread=1" in html
    assert "未读通知" not in login(clerk_b).get("/admin/").content.decode()


def test_unread_banner_is_translated_to_english(clerk_a):
    notify(recipient=clerk_a, subject="红灯", dedupe_key="t:5")
    client = login(clerk_a)
    html = client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert "You have 1 unread notice" in html
    assert "未读通知" not in html
