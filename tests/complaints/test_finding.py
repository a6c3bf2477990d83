"""The finding (办结): no outcome chosen in advance, several remedies each against the unit or a
named person; and an action that can no longer be taken is not offered (its button and its
screen), as its service would refuse it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from complaints import services
from complaints.admin.forms import ConcludeForm
from complaints.models import Complaint, Remedy
from tests.conftest import login

S = Complaint.State


def change_url(c):
    return reverse("admin:complaints_complaint_change", args=[c.pk])


def act_url(c, name):
    return reverse("admin:complaints_complaint_act", args=[c.pk, name])


def rows(*remedies: dict) -> dict:
    """The conclude form's remedy rows as the browser posts them (three rows on the page)."""
    data = {"remedy-TOTAL_FORMS": "3", "remedy-INITIAL_FORMS": "0"}
    for n, remedy in enumerate(remedies):
        data.update({f"remedy-{n}-{k}": v for k, v in remedy.items()})
    for n in range(len(remedies), 3):
        data[f"remedy-{n}-target"] = "unit"  # an untouched row, as the page renders it
    return data


def test_conclude_without_an_outcome_is_refused_with_the_message(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.HANDLING)
    client = login(clerk_a)
    page = client.get(act_url(c, "conclude")).content.decode()
    assert '<option value="" selected>—— 请选择 ——</option>' in page  # nothing pre-selected
    response = client.post(act_url(c, "conclude"), {"findings": "已调取监控。", **rows()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "请选择核查结论。" in body and "已调取监控。" in body
    assert Complaint.objects.get(pk=c.pk).state == S.HANDLING
    with override("en"):
        form = ConcludeForm({"findings": "x"})
        assert form.errors["outcome"] == ["Please choose a finding."]


def test_two_remedies_against_a_person_and_the_unit_are_saved(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.HANDLING)
    data = {
        "outcome": "founded",
        "findings": "窗口人员未一次性告知，多收材料费。",
        **rows(
            {"kind": "self_criticism", "target": "person", "person": "刘窗口"},
            {"kind": "refund", "target": "unit", "amount": "120.00", "note": "退还材料费"},
        ),
    }
    response = login(clerk_a).post(act_url(c, "conclude"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = Remedy.objects.filter(complaint=c).order_by("id")
    assert [(r.kind, r.against_person, r.against_agency_id) for r in saved] == [
        ("self_criticism", "刘窗口", c.agency_accused_id),
        ("refund", "", c.agency_accused_id),
    ]
    assert saved[1].amount == 120 and saved[1].note == "退还材料费"


def test_a_remedy_against_a_person_names_the_person(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.HANDLING)
    data = {
        "outcome": "founded",
        "findings": "属实。",
        **rows({"kind": "transfer_post", "target": "person", "person": ""}),
    }
    response = login(clerk_a).post(act_url(c, "conclude"), data)
    assert "对责任人的处理措施须填写责任人姓名。" in response.content.decode()
    assert not Remedy.objects.filter(complaint=c).exists()


def test_request_extension_is_not_offered_after_the_one_extension(
    new_complaint, clerk_a, office_user, walk
):
    c = walk(new_complaint, S.HANDLING)
    clerk = login(clerk_a)
    assert 'data-action="request_extension"' in clerk.get(change_url(c)).content.decode()
    request = services.complaint_request_extension(complaint=c, actor=clerk_a, reason="需外调。")
    assert 'data-action="request_extension"' not in clerk.get(change_url(c)).content.decode()
    assert clerk.get(act_url(c, "request_extension")).status_code == 404
    services.complaint_decide_extension(request=request, actor=office_user, approve=True)
    assert 'data-action="request_extension"' not in clerk.get(change_url(c)).content.decode()
    assert clerk.post(act_url(c, "request_extension"), {"reason": "再延"}).status_code == 404


def test_a_refused_extension_leaves_the_one_extension_to_ask(
    new_complaint, clerk_a, office_user, walk
):
    # The service and the constraint count a waiting or granted extension; a refusal grants none.
    c = walk(new_complaint, S.HANDLING)
    request = services.complaint_request_extension(complaint=c, actor=clerk_a, reason="需外调。")
    services.complaint_decide_extension(request=request, actor=office_user, approve=False)
    page = login(clerk_a).get(change_url(c)).content.decode()
    assert 'data-action="request_extension"' in page


def test_return_is_not_offered_after_the_window(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.ROUTED)
    clerk = login(clerk_a)
    assert 'data-action="return"' in clerk.get(change_url(c)).content.decode()
    Complaint.objects.filter(pk=c.pk).update(return_due_at=timezone.now() - dt.timedelta(minutes=1))
    assert 'data-action="return"' not in clerk.get(change_url(c)).content.decode()
    assert clerk.post(act_url(c, "return"), {"reason": "错转"}).status_code == 404
    assert Complaint.objects.get(pk=c.pk).state == S.ROUTED


def test_close_is_not_offered_while_the_callback_is_owed(new_complaint, office_user, walk):
    c = walk(new_complaint, S.REPLIED)  # the complainant left a phone and has not rated
    office = login(office_user)
    page = office.get(change_url(c)).content.decode()
    assert 'data-action="callback"' in page and 'data-action="close"' not in page
