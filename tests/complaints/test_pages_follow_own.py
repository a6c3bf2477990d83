"""投诉查询, item 12: the complainant's own text and files, every reply with its remedies,
and 补充材料 while the case is open — refused once it is closed, or without the code."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Attachment, Complaint, ComplaintEvent
from tests.complaints.conftest import answer, submit
from tests.complaints.public_helpers import PNG, citizen, forged, png
from timelimits.models import Notification

URL = reverse("complaints:follow")
ADD = reverse("complaints:follow_supplement")


@pytest.fixture
def filed(agency_a, attitude, centre):
    return submit(agency=agency_a, category=attitude, files=[png("收费单.png")])


def _open(client, filed):
    return client.post(
        URL,
        {"tracking_no": filed.complaint.tracking_no, "query_code": filed.query_code},
        follow=True,
    )


def _token(page: str) -> str:
    form = page.split('id="supplement"')[1]
    return re.search(r'name="upload_token" value="([^"]+)"', form).group(1)


def _notices(complaint, user):
    return Notification.objects.filter(
        recipient=user, dedupe_key__startswith=f"complaint:{complaint.pk}:supplement:"
    )


def test_follow_page_shows_own_text_and_files(filed):
    client = citizen()
    page = _open(client, filed).content.decode()
    own = page.split('id="my-complaint"')[1].split("</section>")[0]
    assert filed.complaint.description in own
    attachment = filed.complaint.attachments.get()
    link = reverse("complaints:follow_file", args=[attachment.pk])
    assert link in own and "收费单.png" in own
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["X-Content-Type-Options"] == "nosniff"


def test_own_file_is_not_downloadable_without_the_query_code_session(filed):
    attachment = filed.complaint.attachments.get()
    link = reverse("complaints:follow_file", args=[attachment.pk])
    assert citizen().get(link).status_code == 404


def test_own_file_of_another_case_is_not_downloadable(filed, agency_a, attitude):
    other = submit(agency=agency_a, category=attitude, files=[png("别人的.png")])
    client = citizen()
    _open(client, filed)
    theirs = other.complaint.attachments.get()
    assert client.get(reverse("complaints:follow_file", args=[theirs.pk])).status_code == 404


def test_staff_evidence_is_not_among_the_complainants_files(filed, walk, clerk_a):
    complaint = walk(filed.complaint, Complaint.State.HANDLING)
    [evidence] = services.complaint_add_evidence(
        complaint=complaint, actor=clerk_a, files=[png("内部证据.png")]
    )
    client = citizen()
    page = _open(client, filed).content.decode()
    assert "内部证据.png" not in page
    assert client.get(reverse("complaints:follow_file", args=[evidence.pk])).status_code == 404


def test_follow_page_shows_all_replies_and_the_remedy_without_names(filed, walk, clerk_a, agency_a):
    complaint = walk(filed.complaint, Complaint.State.HANDLING)
    complaint = services.complaint_conclude(
        complaint=complaint,
        actor=clerk_a,
        outcome=Complaint.Outcome.FOUNDED,
        findings="乱收费属实。",
        remedies=[
            services.RemedySpec(kind="refund", against_agency=agency_a, amount=Decimal("120")),
            services.RemedySpec(
                kind="self_criticism", against_agency=agency_a, against_person="钱窗口"
            ),
        ],
    )
    answer(complaint, clerk=clerk_a, text="已责令退还费用。")  # reviewed: a founded case
    client = citizen()
    page = _open(client, filed).content.decode()
    remedies = page.split('id="remedies-1"')[1].split("</ul>")[0]
    assert f"{agency_a.name}退还违规收取的费用 120.00 元。" in remedies
    assert f"{agency_a.name}的责任人作出书面检查。" in remedies
    assert "钱窗口" not in page
    assert "张承办" not in page
    assert "已责令退还费用。" in page

    # Reopened: the first round keeps its reply and remedies beside the second answer.
    client.post(
        reverse("complaints:follow_rate"),
        {"tracking_no": complaint.tracking_no, "rating": "dissatisfied"},
    )
    client.post(
        reverse("complaints:follow_reopen"),
        {"tracking_no": complaint.tracking_no, "reason": "没有退全"},
    )
    complaint.refresh_from_db()
    complaint = services.complaint_conclude(
        complaint=complaint,
        actor=clerk_a,
        outcome=Complaint.Outcome.FOUNDED,
        findings="复查属实。",
        remedies=[services.RemedySpec(kind="apology", against_agency=agency_a)],
    )
    answer(complaint, clerk=clerk_a, text="已补退并致歉。")
    page = client.get(URL, {"no": complaint.tracking_no}).content.decode()
    first = page.split('id="round-1"')[1].split("</article>")[0]
    second = page.split('id="round-2"')[1].split("</article>")[0]
    assert "已责令退还费用。" in first and "退还违规收取的费用 120.00 元" in first
    assert "已补退并致歉。" in second and f"{agency_a.name}向您赔礼道歉。" in second
    assert "退还违规" not in second


def test_supplement_adds_an_event_and_a_notice_to_the_handler(filed, walk, clerk_a):
    complaint = walk(filed.complaint, Complaint.State.HANDLING)
    client = citizen()
    page = _open(client, filed).content.decode()
    response = client.post(
        ADD,
        {
            "tracking_no": complaint.tracking_no,
            "upload_token": _token(page),
            "text": "补充：收费单号 A-778。",
            "attachments": [png("补充收据.png")],
        },
    )
    assert response.status_code == 302
    event = ComplaintEvent.objects.get(complaint=complaint, verb="supplement")
    assert event.internal_note == "补充：收费单号 A-778。"
    assert event.data["files"] == ["补充收据.png"]
    added = Attachment.objects.get(complaint=complaint, original_name="补充收据.png")
    assert added.kind == Attachment.Kind.MATERIAL
    notice = _notices(complaint, clerk_a).get()
    assert complaint.tracking_no in notice.subject and "A-778" in notice.body
    page = client.get(response["Location"]).content.decode()
    assert "补充材料已提交" in page
    assert "补充：收费单号 A-778。" in page.split('id="own-supplements"')[1]
    assert reverse("complaints:follow_file", args=[added.pk]) in page


def test_supplement_before_registration_reaches_the_complaint_centre(filed, centre):
    from organizations.roles import Role
    from tests.conftest import make_staff

    head = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="周主任")
    head.staff_profile.is_unit_head = True
    head.staff_profile.save()
    services.complaint_add_material(complaint=filed.complaint, text="还有一件事。")
    assert _notices(filed.complaint, head).count() == 1


def test_supplement_with_a_forged_file_keeps_the_text_and_the_good_file(filed, walk):
    complaint = walk(filed.complaint, Complaint.State.HANDLING)
    client = citizen()
    page = _open(client, filed).content.decode()
    token = _token(page)
    fields = {"tracking_no": complaint.tracking_no, "upload_token": token, "text": "再补充一点"}
    page = client.post(ADD, {**fields, "attachments": [png("好的.png"), forged()]}).content.decode()
    assert "的类型不被接受" in page and "再补充一点" in page
    assert "好的.png" in page.split('class="kept"')[1]
    assert not ComplaintEvent.objects.filter(complaint=complaint, verb="supplement").exists()
    assert client.post(ADD, fields).status_code == 302
    event = ComplaintEvent.objects.get(complaint=complaint, verb="supplement")
    assert event.data["files"] == ["好的.png"]


def test_supplement_needs_text_or_a_file(filed):
    client = citizen()
    page = _open(client, filed).content.decode()
    answer = client.post(
        ADD, {"tracking_no": filed.complaint.tracking_no, "upload_token": _token(page)}
    ).content.decode()
    assert "请填写补充说明或选择要补充的附件。" in answer


def test_supplement_is_refused_once_the_case_is_closed(filed, walk):
    client = citizen()
    page = _open(client, filed).content.decode()
    token = _token(page)
    complaint = walk(filed.complaint, Complaint.State.CLOSED)
    page = client.get(URL, {"no": complaint.tracking_no}).content.decode()
    assert 'id="supplement"' not in page  # not offered any more
    answer = client.post(  # a form left open in another tab
        ADD, {"tracking_no": complaint.tracking_no, "upload_token": token, "text": "晚了"}
    ).content.decode()
    assert f"投诉 {complaint.tracking_no} 已办结（已办结），不能再补充材料。" in answer
    assert "晚了" not in answer.split('id="my-complaint"')[1].split("</section>")[0]
    assert not ComplaintEvent.objects.filter(complaint=complaint, verb="supplement").exists()


def test_supplement_without_the_query_code_is_refused(filed):
    response = citizen().post(
        ADD, {"tracking_no": filed.complaint.tracking_no, "text": "冒充投诉人"}
    )
    assert response.status_code == 302 and response["Location"] == URL
    assert not ComplaintEvent.objects.filter(verb="supplement").exists()


def test_supplement_is_throttled_per_client(filed, settings):
    settings.COMPLAINTS_SUPPLEMENT_LIMIT = 1
    client = citizen()
    page = _open(client, filed).content.decode()
    fields = {"tracking_no": filed.complaint.tracking_no, "upload_token": _token(page)}
    assert client.post(ADD, {**fields, "text": "一"}).status_code == 302
    refused = client.post(ADD, {**fields, "text": "二"})
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode() and "二" in refused.content.decode()


def test_a_double_click_adds_the_material_once(filed, walk):
    complaint = walk(filed.complaint, Complaint.State.HANDLING)
    client = citizen()
    page = _open(client, filed).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page.split('id="supplement"')[1])
    fields = {
        "tracking_no": complaint.tracking_no,
        "upload_token": _token(page),
        "submission_key": key.group(1),
        "text": "只点了两下",
    }
    assert client.post(ADD, fields).status_code == 302
    assert client.post(ADD, fields).status_code == 302
    assert ComplaintEvent.objects.filter(complaint=complaint, verb="supplement").count() == 1
