"""明察暗访: the checklist is data, findings with photos sniffed from their bytes, each finding
opens a rectification on the deadline engine, the agency answers, the office accepts or
returns; 效能监督员 record inspections and see only their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from common import stash
from efficiency_portal.errors import ApplicationError
from organizations.roles import Role
from supervision import services
from supervision.models import ChecklistItem, FigureDay, Finding, Inspection, Rectification
from supervision.rollup import rollup_refresh
from supervision.services.inspections import RECTIFY
from tests.complaints.public_helpers import PNG
from tests.conftest import login, make_staff
from timelimits import calendar
from timelimits.models import Deadline
from timelimits.services import apply_schedule, deadline_current
from timelimits.sweep import sweep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"


@pytest.fixture
def inspector(db, agency_b):
    return make_staff(agency=agency_b, roles=[Role.INSPECTOR], name="孙监督")


def photo(name="窗口.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def record(actor, agency, *, findings=None, **overrides):
    fields = {
        "actor": actor,
        "kind": "covert",
        "date": timezone.localdate(),
        "agency": agency,
        "place": "政务服务中心3号窗口",
        "checks": {"on_post": ("fail", "10:05 窗口无人"), "attitude": ("pass", "")},
        "findings": findings
        if findings is not None
        else [
            services.FindingSpec(
                description="上班时间窗口无人，等候20分钟。",
                item_code="on_post",
                person="窗口工作人员",
                photos=[photo()],
            )
        ],
    }
    fields.update(overrides)
    return services.inspection_record(**fields)


def test_a_finding_opens_a_rectification_due_in_five_working_days(office_user, agency_a):
    inspection = record(office_user, agency_a)
    finding = inspection.findings.get()
    assert finding.photos.get().content_type == "image/png"
    rectification = finding.rectification
    deadline = deadline_current(subject=rectification, kind=RECTIFY)
    assert deadline.agency == agency_a and deadline.state == Deadline.State.RUNNING
    expected = calendar.add_working_days(deadline.started_at, 5)
    assert timezone.localtime(deadline.due_at).date() == expected


def test_a_photo_of_a_forged_type_is_refused_and_nothing_is_saved(office_user, agency_a):
    forged = photo("照片.jpg", b"MZ\x90\x00" + b"\x00" * 200)  # an executable named .jpg
    with pytest.raises(ApplicationError, match="类型不被接受"):
        record(
            office_user,
            agency_a,
            findings=[services.FindingSpec(description="问题", photos=[forged])],
        )
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(ApplicationError, match="不是图片"):
        record(
            office_user, agency_a, findings=[services.FindingSpec(description="问题", photos=[pdf])]
        )
    assert not Inspection.objects.exists() and not Finding.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": dt.date.today() + dt.timedelta(days=3)}, "不能晚于今天"),
        ({"kind": "secret"}, "请选择明察或暗访"),
        ({"place": " "}, "请填写窗口或场所"),
        ({"checks": {"nosuch": ("pass", "")}}, "结果无效"),
        ({"findings": [services.FindingSpec(description=" ")]}, "没有描述"),
    ],
)
def test_bad_input_is_a_clear_error(office_user, agency_a, overrides, message):
    with pytest.raises(ApplicationError, match=message):
        record(office_user, agency_a, **overrides)
    assert not Inspection.objects.exists()


def test_only_the_office_and_inspectors_record(clerk_a, agency_a, inspector, leader):
    with pytest.raises(ApplicationError, match="只有效能办工作人员和效能监督员"):
        record(clerk_a, agency_a)
    with pytest.raises(ApplicationError):
        record(leader, agency_a)
    assert record(inspector, agency_a).recorded_by == inspector


def test_the_agency_answers_and_the_office_returns_then_accepts(office_user, agency_a, clerk_a):
    rectification = record(office_user, agency_a).findings.get().rectification
    answered = services.rectification_answer(
        actor=clerk_a, rectification=rectification, text="已调整排班。", evidence=[photo()]
    )
    assert answered.state == Rectification.State.ANSWERED
    assert deadline_current(subject=answered, kind=RECTIFY).state == Deadline.State.MET
    with pytest.raises(ApplicationError, match="退回须说明理由"):
        services.rectification_return(actor=office_user, rectification=answered, reason="")
    returned = services.rectification_return(
        actor=office_user, rectification=answered, reason="未提供排班表。"
    )
    assert (returned.state, returned.rounds) == (Rectification.State.RETURNED, 2)
    assert deadline_current(subject=returned, kind=RECTIFY).state == Deadline.State.RUNNING
    again = services.rectification_answer(
        actor=clerk_a, rectification=returned, text="附排班表。", evidence=[photo()]
    )
    accepted = services.rectification_accept(actor=office_user, rectification=again)
    assert accepted.state == Rectification.State.ACCEPTED
    assert accepted.evidence.count() == 2


def test_another_agency_and_an_inspector_cannot_answer(office_user, agency_a, clerk_b, inspector):
    rectification = record(office_user, agency_a).findings.get().rectification
    for actor in (clerk_b, inspector, office_user):
        with pytest.raises(ApplicationError, match="只有整改单位"):
            services.rectification_answer(actor=actor, rectification=rectification, text="x")


def test_an_overdue_rectification_is_a_red_card_of_the_agency(office_user, agency_a):
    rectification = record(office_user, agency_a).findings.get().rectification
    deadline = deadline_current(subject=rectification, kind=RECTIFY)
    deadline.started_at -= dt.timedelta(days=30)
    apply_schedule(deadline, now=timezone.now())
    deadline.save()
    sweep(now=timezone.now())
    rollup_refresh()
    cards = FigureDay.objects.filter(
        indicator="timelimits.red_cards", agency=agency_a, part=RECTIFY
    )
    assert sum(c.numerator for c in cards) == 1


def test_an_inspector_sees_only_the_own_inspections(office_user, agency_a, inspector):
    own = record(inspector, agency_a)
    other = record(office_user, agency_a)
    client = login(inspector)
    listing = client.get(reverse("supervision:inspections")).content.decode()
    assert reverse("supervision:inspection", args=[own.pk]) in listing
    assert reverse("supervision:inspection", args=[other.pk]) not in listing
    assert client.get(reverse("supervision:inspection", args=[other.pk])).status_code == 404
    photo_row = other.findings.get().photos.get()
    assert client.get(reverse("supervision:file", args=["photo", photo_row.pk])).status_code == 404
    assert client.get(reverse("supervision:dashboard")).status_code == 403


def test_the_agency_sees_its_inspection_and_answers_on_the_page(office_user, agency_a, clerk_a):
    inspection = record(office_user, agency_a)
    rectification = inspection.findings.get().rectification
    client = login(clerk_a)
    assert client.get(reverse("supervision:inspection", args=[inspection.pk])).status_code == 200
    url = reverse("supervision:rectification", args=[rectification.pk])
    response = client.post(url, {"answer": "1", "text": "已整改。", "evidence": [photo()]})
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.state == Rectification.State.ANSWERED


def test_another_agency_gets_404_for_the_pages(office_user, agency_a, clerk_b):
    inspection = record(office_user, agency_a)
    rectification = inspection.findings.get().rectification
    client = login(clerk_b)
    assert client.get(reverse("supervision:inspection", args=[inspection.pk])).status_code == 404
    url = reverse("supervision:rectification", args=[rectification.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "1", "text": "x"}).status_code == 404


def test_recording_on_the_page_keeps_what_was_typed_on_an_error(office_user, agency_a):
    client = login(office_user)
    url = reverse("supervision:inspection_new")
    data = {
        "kind": "open",
        "date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        "agency": agency_a.pk,
        "place": "二楼大厅",
        "finding_1": "未公示投诉电话",
        **{f"check_{i.code}": "pass" for i in ChecklistItem.objects.all()},
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "不能晚于今天" in html
    assert "二楼大厅" in html and "未公示投诉电话" in html
    data["date"] = timezone.localdate().isoformat()
    assert client.post(url, data).status_code == 302
    assert Inspection.objects.get().findings.get().description == "未公示投诉电话"


def test_a_clerk_cannot_open_the_recording_page(clerk_a):
    assert login(clerk_a).get(reverse("supervision:inspection_new")).status_code == 404


def _page_data(agency, **overrides):
    return {
        "kind": "covert",
        "date": timezone.localdate().isoformat(),
        "agency": agency.pk,
        "place": "二楼大厅",
        "finding_1": "窗口无人",
        "finding_2": "未公示投诉电话",
        **{f"check_{i.code}": "pass" for i in ChecklistItem.objects.all()},
        **overrides,
    }


def _hidden(html: str, name: str) -> str:
    import re

    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def test_a_form_error_keeps_the_photos_and_the_fix_files_them(office_user, agency_a):
    client = login(office_user)
    url = reverse("supervision:inspection_new")
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    first = client.post(
        url,
        {
            **_page_data(agency_a, date=future),
            "finding_1_photos": [photo("窗口.png"), photo("大厅.png", PNG + b"2")],
            "finding_2_photos": [photo("公示栏.png", PNG + b"3")],
        },
    )
    html = first.content.decode()
    assert first.status_code == 200 and "不能晚于今天" in html
    assert "窗口.png" in html and "大厅.png" in html and "公示栏.png" in html
    assert Inspection.objects.count() == 0
    tokens = {n: _hidden(html, f"finding_{n}_upload_token") for n in (1, 2, 3)}

    # The fix: only the date; no file is chosen again.
    fixed = client.post(
        url, {**_page_data(agency_a), **{f"finding_{n}_upload_token": t for n, t in tokens.items()}}
    )
    assert fixed.status_code == 302
    first_finding, second_finding = Inspection.objects.get().findings.order_by("id")
    assert sorted(p.original_name for p in first_finding.photos.all()) == ["大厅.png", "窗口.png"]
    assert [p.original_name for p in second_finding.photos.all()] == ["公示栏.png"]
    assert first_finding.photos.get(original_name="窗口.png").file.read() == PNG
    assert stash.load(tokens[1]).files == [] and stash.load(tokens[2]).files == []


def test_a_photo_of_a_forged_type_is_its_slots_error_and_the_good_ones_are_kept(
    office_user, agency_a
):
    client = login(office_user)
    forged = SimpleUploadedFile(
        "假照片.png", b"MZ\x90\x00" + b"\x00" * 60, content_type="image/png"
    )
    response = client.post(
        reverse("supervision:inspection_new"),
        {
            **_page_data(agency_a),
            "finding_1_photos": [photo("窗口.png")],
            "finding_2_photos": [forged],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and Inspection.objects.count() == 0
    assert "假照片.png" in html  # named in the error of its slot
    token = _hidden(html, "finding_1_upload_token")
    assert [f.name for f in stash.load(token).files] == ["窗口.png"]
    assert stash.load(_hidden(html, "finding_2_upload_token")).files == []


def test_an_unticked_kept_photo_is_not_filed(office_user, agency_a):
    client = login(office_user)
    url = reverse("supervision:inspection_new")
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    html = client.post(
        url,
        {
            **_page_data(agency_a, date=future),
            "finding_1_photos": [photo("留.png"), photo("删.png", PNG + b"x")],
        },
    ).content.decode()
    token = _hidden(html, "finding_1_upload_token")
    data = {**_page_data(agency_a), "finding_1_upload_token": token, "finding_1_drop": ["1"]}
    assert client.post(url, data).status_code == 302
    finding = Inspection.objects.get().findings.order_by("id").first()
    assert [p.original_name for p in finding.photos.all()] == ["留.png"]
