"""办理公开: personal names a case knows of (complainant, accused person, staff of the accused
and the handling agency) are masked wherever the published text writes them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from complaints.selectors.public import anonymise
from organizations.roles import Role
from tests.complaints.conftest import submit, to_state
from tests.complaints.public_helpers import citizen
from tests.conftest import make_staff

LIST = reverse("complaints:public_cases")


def _detail(case: Complaint) -> str:
    return (
        citizen().get(reverse("complaints:public_case", args=[case.tracking_no])).content.decode()
    )


def _replied(case: Complaint, *, office, clerk, agency, reply: str) -> Complaint:
    case = to_state(case, Complaint.State.CONCLUDED, office=office, clerk=clerk, agency=agency)
    return services.complaint_reply(complaint=case, actor=clerk, text=reply)


def test_public_case_masks_complainant_name_typed_in_description(agency_a, attitude, walk):
    case = walk(
        submit(
            agency=agency_a,
            category=attitude,
            complainant_name="王小明",
            description="我叫王小明，在3号窗口办理营业执照被推诿。",
        ).complaint,
        Complaint.State.REPLIED,
    )
    for page in (_detail(case), citizen().get(LIST).content.decode()):
        assert "我叫王**，在3号窗口" in page
        assert "王小明" not in page


def test_public_case_masks_staff_names_of_accused_and_handling_agency_in_reply(
    agency_a, agency_b, clerk_a, clerk_b, office_user, attitude, centre
):
    case = submit(agency=agency_a, category=attitude, description="窗口人员张承办态度恶劣。")
    case = _replied(
        case.complaint,
        office=office_user,
        clerk=clerk_b,
        agency=agency_b,  # handled by agency B, accused agency A
        reply="经李承办核实，已约谈张承办并责令整改。",
    )
    page = _detail(case)
    assert "窗口人员张**态度恶劣" in page
    assert "经李**核实，已约谈张**并责令整改。" in page
    assert "李承办" not in page and "张承办" not in page
    listed = citizen().get(LIST).content.decode()
    assert "李承办" not in listed and "张承办" not in listed


def test_public_case_masks_accused_person_in_title(agency_a, attitude, walk):
    case = walk(
        submit(
            agency=agency_a,
            category=attitude,
            title="投诉李娟、赵科员工作推诿",
            accused_person="李娟、赵科员",
        ).complaint,
        Complaint.State.CLOSED,
    )
    page = _detail(case)
    assert "<title>投诉李*、赵**工作推诿" in page  # the browser's title bar too
    assert "<h1>投诉李*、赵**工作推诿</h1>" in page
    assert "李娟" not in page and "赵科员" not in page
    assert "李娟" not in citizen().get(LIST).content.decode()


def test_public_case_keeps_a_one_character_name(agency_a, attitude, walk):
    case = walk(
        submit(
            agency=agency_a,
            category=attitude,
            description="王府井大街的窗口排队两小时。",
            accused_person="王",
        ).complaint,
        Complaint.State.REPLIED,
    )
    assert "王府井大街的窗口排队两小时。" in _detail(case)


def test_public_case_masks_the_longest_name_first(agency_a, attitude, walk):
    make_staff(agency=agency_a, roles=[Role.HANDLER], name="王小")
    case = walk(
        submit(
            agency=agency_a,
            category=attitude,
            complainant_name="王小明",
            description="我叫王小明，接待我的是王小。",
        ).complaint,
        Complaint.State.REPLIED,
    )
    assert "我叫王**，接待我的是王*。" in _detail(case)


def test_latin_names_are_masked_as_whole_words_only():
    assert anonymise("Li met Li Na in the Library.", ("Li Na", "Li")) == (
        "L* met L**** in the Library."
    )


def test_public_list_reads_the_staff_names_of_the_page_in_one_query(agency_a, attitude, walk):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert citizen().get(LIST).status_code == 200
        return len(captured)

    walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.REPLIED)
    one_case = queries()
    for _ in range(3):
        walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.REPLIED)
    assert queries() == one_case


def test_open311_requests_publish_no_names_of_an_answered_case(client, agency_a, attitude, walk):
    case = walk(
        submit(
            agency=agency_a,
            category=attitude,
            title="投诉李娟",
            description="我叫王小明，3号窗口的李娟态度恶劣。",
            accused_person="李娟",
        ).complaint,
        Complaint.State.CLOSED,
    )
    for url in (
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{case.tracking_no}.json",
    ):
        body = client.get(url).content.decode()
        assert case.tracking_no in body
        for secret in ("王小明", "李娟", "张承办", "3号窗口"):
            assert secret not in body
