"""The admin: worklist with lights and due times, buttons by role, forms that call services,
evidence upload, the reveal form, and the outsider's denial."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import AccessLog, Attachment, Complaint
from tests.conftest import login
from timelimits.models import Deadline

S = Complaint.State
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def change_url(c):
    return reverse("admin:complaints_complaint_change", args=[c.pk])


def act_url(c, name):
    return reverse("admin:complaints_complaint_act", args=[c.pk, name])


def test_the_worklist_shows_lights_and_due_times(new_complaint, office_user, walk):
    c = walk(new_complaint, S.HANDLING)
    Deadline.objects.filter(subject_id=c.pk, kind="complaint.handle").update(light="red")
    response = login(office_user).get(reverse("admin:complaints_complaint_changelist"))
    body = response.content.decode()
    assert response.status_code == 200
    assert c.tracking_no in body and "红灯" in body
    red = login(office_user).get(reverse("admin:complaints_complaint_changelist") + "?light=red")
    assert c.tracking_no in red.content.decode()
    green = login(office_user).get(
        reverse("admin:complaints_complaint_changelist") + "?light=green"
    )
    assert c.tracking_no not in green.content.decode()


def test_the_office_registers_through_the_button(new_complaint, office_user):
    client = login(office_user)
    page = client.get(change_url(new_complaint)).content.decode()
    assert 'data-action="register"' in page and 'data-action="sign_for"' not in page
    response = client.post(act_url(new_complaint, "register"), {"note": "当日登记"})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=new_complaint.pk).state == S.REGISTERED


def test_a_refused_action_comes_back_with_the_message_and_the_text_kept(
    new_complaint, clerk_a, walk
):
    c = walk(new_complaint, S.HANDLING)
    client = login(clerk_a)
    response = client.post(
        act_url(c, "conclude"), {"outcome": "founded", "findings": "情况属实，需要处理"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "投诉成立或部分成立时，须记录对单位或个人的处理措施。" in body
    assert "情况属实，需要处理" in body
    assert Complaint.objects.get(pk=c.pk).state == S.HANDLING


def test_a_handler_signs_for_and_uploads_evidence(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.ROUTED)
    client = login(clerk_a)
    page = client.get(change_url(c)).content.decode()
    assert 'data-action="sign_for"' in page and 'data-action="register"' not in page
    response = client.post(act_url(c, "sign_for"), {})
    assert response.status_code == 302, response.content.decode()[-3000:]
    upload = SimpleUploadedFile("scene.png", PNG, content_type="image/png")
    assert (
        client.post(act_url(c, "add_evidence"), {"files": upload, "note": "现场照片"}).status_code
        == 302
    )
    attachment = Attachment.objects.get(complaint=c, kind="evidence")
    download = client.get(reverse("complaints:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_another_agency_gets_404_on_the_case_its_buttons_and_its_files(
    agency_a, attitude, centre, clerk_b, walk
):
    from tests.complaints.conftest import submit

    c = submit(
        agency=agency_a,
        category=attitude,
        files=[SimpleUploadedFile("a.png", PNG, content_type="image/png")],
    ).complaint
    c = walk(c, S.ROUTED)
    client = login(clerk_b)
    assert client.get(change_url(c)).status_code in (302, 404)
    assert client.get(act_url(c, "sign_for")).status_code == 404
    assert client.post(act_url(c, "sign_for"), {}).status_code == 404
    attachment = Attachment.objects.get(complaint=c)
    assert client.get(reverse("complaints:attachment", args=[attachment.pk])).status_code == 404
    assert Complaint.objects.get(pk=c.pk).state == S.ROUTED


def test_the_case_page_hides_identity_from_the_agency(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.HANDLING)
    page = login(clerk_a).get(change_url(c)).content.decode()
    assert "（投诉人未同意公开身份）" in page
    assert (
        "王小明" not in page and "5678" not in page and "1234" not in page[page.index("投诉人") :]
    )
    assert (
        login(clerk_a)
        .post(reverse("admin:complaints_complaint_reveal", args=[c.pk]), {"reason": "想知道"})
        .status_code
        == 200
    )
    assert AccessLog.objects.count() == 0


def test_the_office_reveals_with_a_reason_and_it_is_logged(new_complaint, office_user):
    client = login(office_user)
    page = client.get(change_url(new_complaint)).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    url = reverse("admin:complaints_complaint_reveal", args=[new_complaint.pk])
    assert "13912345678" in client.post(url, {"reason": "回访"}).content.decode()
    assert AccessLog.objects.get().reason == "回访"


@pytest.mark.parametrize("name", ["registration", "contact_card"])
def test_documents_are_linked_from_the_case_page(new_complaint, office_user, name):
    page = login(office_user).get(change_url(new_complaint)).content.decode()
    assert reverse("complaints:document", args=[new_complaint.pk, name]) in page


def test_the_light_filter_takes_the_worst_running_clock(
    agency_a, attitude, centre, office_user, walk
):
    from tests.complaints.conftest import submit

    yellow = walk(submit(agency=agency_a, category=attitude).complaint, S.ROUTED)
    Deadline.objects.filter(subject_id=yellow.pk, kind="complaint.handle").update(light="yellow")
    red = walk(submit(agency=agency_a, category=attitude).complaint, S.ROUTED)
    Deadline.objects.filter(subject_id=red.pk, kind="complaint.handle").update(light="yellow")
    Deadline.objects.filter(subject_id=red.pk, kind="complaint.sign_for").update(light="red")
    closed = walk(submit(agency=agency_a, category=attitude).complaint, S.CLOSED)
    url = reverse("admin:complaints_complaint_changelist")

    def shown(light):
        body = login(office_user).get(f"{url}?light={light}").content.decode()
        return {c.tracking_no for c in (yellow, red, closed) if c.tracking_no in body}

    assert shown("red") == {red.tracking_no}
    assert shown("yellow") == {yellow.tracking_no}
    assert shown("green") == set()
    assert shown("none") == {closed.tracking_no}


def test_a_rejection_is_reviewed_from_the_case_page_by_another_office_member(
    new_complaint, office_user, office_b
):
    from complaints import services
    from complaints.models import RejectionFiling

    services.complaint_reject(complaint=new_complaint, actor=office_user, reason="不属于受理范围")
    own = login(office_user).post(act_url(new_complaint, "review_rejection"), {"approve": "0"})
    assert "否定报备须由他人审查，不能审查自己的决定。" in own.content.decode()
    other = login(office_b).post(act_url(new_complaint, "review_rejection"), {"approve": "0"})
    assert other.status_code == 302
    assert RejectionFiling.objects.get().review == "overturned"
    assert Complaint.objects.get(pk=new_complaint.pk).state == S.REGISTERED


def test_merging_from_the_case_page_needs_an_existing_target(
    agency_a, attitude, centre, office_user
):
    from tests.complaints.conftest import submit

    source = submit(agency=agency_a, category=attitude).complaint
    target = submit(agency=agency_a, category=attitude).complaint
    client = login(office_user)
    missing = client.post(
        act_url(source, "merge"), {"target": "XN-2026-999999-0", "reason": "重复"}
    )
    assert "合并必须指定目标投诉。" in missing.content.decode()
    done = client.post(act_url(source, "merge"), {"target": target.tracking_no, "reason": "重复"})
    assert done.status_code == 302
    assert Complaint.objects.get(pk=source.pk).merged_into == target


def test_the_case_page_shows_every_round(new_complaint, office_user, clerk_a, clerk_b, walk):
    from complaints import services

    c = walk(new_complaint, S.REPLIED)
    c = services.complaint_rate(complaint=c, rating="dissatisfied", comment="没有解决")
    c = services.complaint_reopen(complaint=c, reason="窗口仍然推诿")
    c = services.complaint_conclude(
        complaint=c,
        actor=clerk_a,
        outcome="founded",
        findings="复查属实。",
        remedies=[services.RemedySpec(kind="apology", against_agency=c.handling_agency)],
    )
    for user in (office_user, clerk_a):
        page = login(user).get(change_url(c)).content.decode()
        kept = page.split("往轮办理（重新办理前）")[1]
        for first_round in ("经调取监控核实，工作人员已按规定一次性告知。", "经核实，情况如下……"):
            assert first_round in kept
        assert "不满意" in kept and "窗口仍然推诿" in kept and "没有解决" in kept
        assert "复查属实。" in page  # the current round, in the case's own fields
        assert f"/complaints/{c.pk}/document/feedback.pdf?round=1" in page
    assert login(clerk_b).get(change_url(c)).status_code in (302, 404)


def test_a_crafted_post_to_the_case_page_is_refused_and_changes_nothing_even_for_a_superuser(
    new_complaint, admin_client, walk
):
    from django.contrib.admin.models import LogEntry

    from complaints.models import ComplaintEvent

    c = walk(new_complaint, S.HANDLING)
    before = Complaint.objects.values().get(pk=c.pk)
    events = ComplaintEvent.objects.filter(complaint=c).count()
    page = admin_client.get(change_url(c))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # no save button: the page is read-only
    response = admin_client.post(
        change_url(c),
        {
            "state": S.CLOSED,
            "title": "改过的标题",
            "findings": "绕过流程写入的结论",
            "handling_agency": "",
            "_save": "保存",
        },
    )
    assert response.status_code == 403
    assert Complaint.objects.values().get(pk=c.pk) == before
    assert ComplaintEvent.objects.filter(complaint=c).count() == events
    assert not LogEntry.objects.filter(object_id=str(c.pk)).exists()
