"""投诉查询: number + query code, the same answer for a wrong code and an unknown number,
throttled; the timeline, the step's due time, the reply; rating and reopening once."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.conftest import answer, submit
from tests.complaints.public_helpers import citizen

URL = reverse("complaints:follow")
WRONG = "投诉编号或查询码不正确，请核对后重试。"


@pytest.fixture
def filed(agency_a, attitude, centre):
    return submit(agency=agency_a, category=attitude)


def _open(client, filed):
    return client.post(
        URL,
        {"tracking_no": filed.complaint.tracking_no, "query_code": filed.query_code},
        follow=True,
    )


def test_number_and_code_open_the_case_with_timeline_and_due_time(filed):
    client = citizen()
    page = _open(client, filed).content.decode()
    assert filed.complaint.title in page
    assert "投诉已提交，等待投诉中心登记。" in page
    assert "当前环节：投诉中心登记受理，应于" in page
    assert filed.complaint.complainant_phone not in page


def test_code_is_accepted_in_lower_case_without_dashes(filed):
    client = citizen()
    code = filed.query_code.replace("-", "").lower()
    response = client.post(URL, {"tracking_no": filed.complaint.tracking_no, "query_code": code})
    assert response.status_code == 302


def test_wrong_code_and_unknown_number_give_the_same_message(filed):
    client = citizen()
    wrong_code = client.post(
        URL, {"tracking_no": filed.complaint.tracking_no, "query_code": "AAAA-BBBB-CCCC-DDDD"}
    ).content.decode()
    unknown = client.post(
        URL, {"tracking_no": "XN-2026-999999-0", "query_code": filed.query_code}
    ).content.decode()
    assert WRONG in wrong_code and WRONG in unknown
    assert filed.complaint.title not in wrong_code
    alert = re.compile(r'<div class="alert".*?</div>', re.S)
    assert alert.search(wrong_code).group() == alert.search(unknown).group()


def test_wrong_codes_are_throttled_per_client(filed, settings):
    settings.COMPLAINTS_FOLLOW_LIMIT = 3
    client = citizen()
    wrong = {"tracking_no": filed.complaint.tracking_no, "query_code": "AAAA-BBBB-CCCC-DDDD"}
    for _ in range(3):
        assert client.post(URL, wrong).status_code == 200
    right = {"tracking_no": filed.complaint.tracking_no, "query_code": filed.query_code}
    response = client.post(URL, right)  # even the right code waits out the window
    assert response.status_code == 429
    assert "查询错误次数过多，请稍后再试。" in response.content.decode()
    assert citizen().post(URL, right).status_code == 302  # another client is not affected


def test_right_codes_do_not_count_as_wrong_tries(filed, settings):
    settings.COMPLAINTS_FOLLOW_LIMIT = 2
    client = citizen()
    right = {"tracking_no": filed.complaint.tracking_no, "query_code": filed.query_code}
    for _ in range(5):
        assert client.post(URL, right).status_code == 302
    wrong = {**right, "query_code": "AAAA-BBBB-CCCC-DDDD"}
    assert [client.post(URL, wrong).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db  # the threads read only committed seed data, on their own connections
def test_concurrent_wrong_codes_get_exactly_the_limit_of_answers(settings):
    """40 wrong tries at once from one address (real threads, real Redis): 10 answers, 30 refusals."""
    settings.COMPLAINTS_FOLLOW_LIMIT = 10
    address = citizen().defaults["REMOTE_ADDR"]
    start = threading.Barrier(40)
    statuses: list[int] = []

    def wrong_try():
        client = Client(REMOTE_ADDR=address)
        try:
            start.wait(30)
            response = client.post(
                URL, {"tracking_no": "XN-2026-999999-0", "query_code": "AAAA-BBBB-CCCC-DDDD"}
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrong_try) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [200] * 10 + [429] * 30


def test_qr_link_prefills_the_number_and_the_session_remembers_the_case(filed):
    client = citizen()
    no = filed.complaint.tracking_no
    first = client.get(URL, {"no": no}).content.decode()
    assert f'value="{no}"' in first and filed.complaint.title not in first
    _open(client, filed)
    assert filed.complaint.title in client.get(URL, {"no": no}).content.decode()
    # Another browser with only the number sees nothing of the case.
    assert filed.complaint.title not in citizen().get(URL, {"no": no}).content.decode()


def test_reply_is_shown_and_complainant_rates_once(filed, walk):
    complaint = walk(filed.complaint, Complaint.State.REPLIED)
    client = citizen()
    page = _open(client, filed).content.decode()
    assert "经核实，情况如下……" in page and "评价办理结果" in page
    response = client.post(
        reverse("complaints:follow_rate"),
        {"tracking_no": complaint.tracking_no, "rating": "basic", "comment": "还行"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.citizen_rating == "basic"
    page = client.get(response["Location"]).content.decode()
    assert "您的评价：基本满意" in page and "提交评价" not in page
    again = client.post(
        reverse("complaints:follow_rate"),
        {"tracking_no": complaint.tracking_no, "rating": "satisfied"},
    )
    assert "您已评价过该投诉。" in again.content.decode()


def test_rating_needs_a_choice(filed, walk):
    complaint = walk(filed.complaint, Complaint.State.REPLIED)
    client = citizen()
    _open(client, filed)
    page = client.post(
        reverse("complaints:follow_rate"), {"tracking_no": complaint.tracking_no, "comment": "留言"}
    ).content.decode()
    assert "请选择评价。" in page and "留言" in page


def test_dissatisfied_complainant_may_ask_to_reopen_once(filed, walk):
    complaint = walk(filed.complaint, Complaint.State.REPLIED)
    client = citizen()
    _open(client, filed)
    client.post(
        reverse("complaints:follow_rate"),
        {"tracking_no": complaint.tracking_no, "rating": "dissatisfied"},
    )
    page = client.get(URL, {"no": complaint.tracking_no}).content.decode()
    assert "申请重新办理" in page
    missing = client.post(
        reverse("complaints:follow_reopen"), {"tracking_no": complaint.tracking_no}
    )
    assert "请说明申请重新办理的理由。" in missing.content.decode()
    client.post(
        reverse("complaints:follow_reopen"),
        {"tracking_no": complaint.tracking_no, "reason": "问题没有解决"},
    )
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.HANDLING and complaint.reopened_at

    walk(complaint, Complaint.State.REPLIED)
    client.post(
        reverse("complaints:follow_rate"),
        {"tracking_no": complaint.tracking_no, "rating": "dissatisfied"},
    )
    page = client.get(URL, {"no": complaint.tracking_no}).content.decode()
    assert "申请重新办理的理由" not in page  # once only: no second form
    refused = client.post(
        reverse("complaints:follow_reopen"),
        {"tracking_no": complaint.tracking_no, "reason": "还是不满意"},
    )
    assert "每件投诉只能申请重新办理一次。" in refused.content.decode()


def test_satisfied_complainant_cannot_reopen(filed, walk):
    complaint = walk(filed.complaint, Complaint.State.REPLIED)
    client = citizen()
    _open(client, filed)
    client.post(
        reverse("complaints:follow_rate"),
        {"tracking_no": complaint.tracking_no, "rating": "satisfied"},
    )
    refused = client.post(
        reverse("complaints:follow_reopen"),
        {"tracking_no": complaint.tracking_no, "reason": "想重办"},
    )
    assert "只有评价为“不满意”时才能申请重新办理。" in refused.content.decode()


def test_rating_without_having_opened_the_case_is_refused(filed, walk):
    complaint = walk(filed.complaint, Complaint.State.REPLIED)
    response = citizen().post(
        reverse("complaints:follow_rate"),
        {"tracking_no": complaint.tracking_no, "rating": "dissatisfied"},
    )
    assert response.status_code == 302 and response["Location"] == URL
    complaint.refresh_from_db()
    assert complaint.citizen_rating == ""


def test_reply_with_script_is_shown_escaped(filed, walk, clerk_a):
    from complaints import services

    complaint = walk(filed.complaint, Complaint.State.CONCLUDED)
    services.complaint_reply(
        complaint=complaint, actor=clerk_a, text="<img src=x onerror=alert(1)>"
    )
    page = _open(citizen(), filed).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_complaint_filed_through_the_api_can_be_followed_at_once(agency_a, attitude, centre):
    from tests.complaints.api_support import filing, integration

    _token, system = integration(name="12345热线")
    body = system.post("/api/v1/complaints/", filing(agency_a, attitude), format="json").json()
    form = {"tracking_no": body["tracking_no"], "query_code": body["query_code"]}
    opened = citizen().post(URL, form, follow=True).content.decode()
    assert "投诉已提交，等待投诉中心登记。" in opened


def test_citizen_sees_every_reply_after_reopen(filed, walk, clerk_a):
    """The first reply stays on the follow page after a reopen, with the rating given to it,
    and the second reply joins it once the case is answered again."""
    from complaints import services

    complaint = walk(filed.complaint, Complaint.State.REPLIED)
    client = citizen()
    _open(client, filed)
    client.post(
        reverse("complaints:follow_rate"),
        {"tracking_no": complaint.tracking_no, "rating": "dissatisfied", "comment": "仍未解决"},
    )
    client.post(
        reverse("complaints:follow_reopen"),
        {"tracking_no": complaint.tracking_no, "reason": "问题没有解决"},
    )
    page = client.get(URL, {"no": complaint.tracking_no}).content.decode()
    first = page.split('id="round-1"')[1].split("</article>")[0]
    assert "经核实，情况如下……" in first and "不成立" in first
    assert "您的评价：不满意" in first and "仍未解决" in first
    assert 'id="round-2"' not in page  # round 2 has no answer yet

    complaint.refresh_from_db()
    complaint = services.complaint_conclude(
        complaint=complaint,
        actor=clerk_a,
        outcome=Complaint.Outcome.PARTLY,
        findings="复查部分属实。",
        remedies=[services.RemedySpec(kind="apology", against_agency=complaint.handling_agency)],
    )
    answer(complaint, clerk=clerk_a, text="复查后已当面致歉。")
    page = client.get(URL, {"no": complaint.tracking_no}).content.decode()
    assert "经核实，情况如下……" in page.split('id="round-1"')[1].split("</article>")[0]
    second = page.split('id="round-2"')[1].split("</article>")[0]
    assert 'id="reply-text"' in second and "复查后已当面致歉。" in second
    assert page.index('id="round-1"') < page.index('id="round-2"')
    assert "评价办理结果" in page  # the second answer may be rated too
