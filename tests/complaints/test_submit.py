"""Intake: a double click files once, bad input is refused clearly, nothing is half-saved."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import clocks, selectors
from complaints.models import Attachment, Complaint, ComplaintEvent
from efficiency_portal.errors import ApplicationError
from tests.complaints.conftest import submit
from tests.conftest import login
from timelimits import calendar
from timelimits.models import Deadline

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


def test_a_double_click_files_once_and_shows_the_same_code(agency_a, attitude, centre):
    first = submit(agency=agency_a, category=attitude, submission_key="double-click-1")
    second = submit(agency=agency_a, category=attitude, submission_key="double-click-1")
    assert first.created and not second.created
    assert second.complaint.pk == first.complaint.pk
    assert second.query_code == first.query_code
    assert Complaint.objects.count() == 1
    assert Deadline.objects.filter(kind=clocks.ACCEPT).count() == 1


def test_the_citizen_follows_with_number_and_code_and_a_wrong_code_gives_no_hint(
    agency_a, attitude, centre
):
    result = submit(agency=agency_a, category=attitude)
    no = result.complaint.tracking_no
    assert selectors.complaint_get_by_code(tracking_no=no, query_code=result.query_code)
    assert selectors.complaint_get_by_code(tracking_no=no, query_code="0000-0000-0000-0000") is None
    assert selectors.complaint_get_by_code(tracking_no="XN-2026-999999-0", query_code="x") is None


def test_the_expected_completion_adds_the_handling_limit_to_the_acceptance_due_date(
    agency_a, attitude, centre
):
    result = submit(agency=agency_a, category=attitude)
    accept = Deadline.objects.get(subject_id=result.complaint.pk, kind=clocks.ACCEPT)
    assert result.expected_by == calendar.add_working_days(accept.due_at, 15)
    assert accept.agency == centre


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "请填写投诉标题。"),
        ({"title": "长" * 101}, "title", "内容过长（最多 100 字）。"),
        ({"description": "  "}, "description", "请描述投诉事项。"),
        ({"complainant_name": ""}, "complainant_name", "实名投诉请填写姓名。"),
        (
            {"complainant_phone": "", "complainant_email": ""},
            "complainant_phone",
            "实名投诉请至少留一种联系方式（手机或邮箱）。",
        ),
        ({"complainant_phone": "abc"}, "complainant_phone", "电话号码格式不正确。"),
        ({"complainant_email": "not-an-email"}, "complainant_email", "邮箱格式不正确。"),
        ({"complainant_id_number": "12345"}, "complainant_id_number", "身份证号格式不正确。"),
    ],
)
def test_bad_input_is_refused_with_a_field_message_and_nothing_saved(
    agency_a, attitude, centre, overrides, field, message
):
    with pytest.raises(ApplicationError) as exc:
        submit(agency=agency_a, category=attitude, **overrides)
    assert (exc.value.field, exc.value.message) == (field, message)
    assert Complaint.objects.count() == 0


def test_an_inactive_agency_is_refused(agency_a, attitude, centre):
    agency_a.is_active = False
    agency_a.save()
    with pytest.raises(ApplicationError, match="请选择有效的被投诉单位。"):
        submit(agency=agency_a, category=attitude)


def test_an_anonymous_complaint_keeps_no_name_but_can_be_followed(agency_a, attitude, centre):
    result = submit(
        agency=agency_a,
        category=attitude,
        anonymous=True,
        complainant_name="王小明",
        complainant_id_number="110101199001011234",
        complainant_phone="",
    )
    c = result.complaint
    assert (c.complainant_name, c.complainant_id_number) == ("", "")
    assert selectors.complaint_get_by_code(tracking_no=c.tracking_no, query_code=result.query_code)


def test_script_in_the_text_is_stored_as_text(agency_a, attitude, centre):
    text = "<script>alert(1)</script> 窗口人员态度差"
    c = submit(agency=agency_a, category=attitude, description=text).complaint
    assert Complaint.objects.get(pk=c.pk).description == text


def test_files_are_sniffed_and_stored_privately(agency_a, attitude, centre):
    files = [
        SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
    ]
    c = submit(agency=agency_a, category=attitude, files=files).complaint
    stored = list(Attachment.objects.filter(complaint=c).order_by("id"))
    assert [a.content_type for a in stored] == ["image/png", "application/pdf"]
    assert [a.original_name for a in stored] == ["photo.png", "receipt.pdf"]
    assert "photo" not in stored[0].file.name  # the user's name never reaches the path
    with pytest.raises(ValueError):
        _ = stored[0].file.url


def test_a_file_is_stored_and_downloaded_under_its_sniffed_type_not_its_name(
    agency_a, attitude, centre, office_user
):
    disguised = SimpleUploadedFile(
        "page.html", PNG + b"<html><script>alert(1)</script></html>", "text/html"
    )
    c = submit(agency=agency_a, category=attitude, files=[disguised]).complaint
    stored = c.attachments.get()
    assert stored.content_type == "image/png"
    assert stored.file.name.endswith(".png") and "html" not in stored.file.name
    assert stored.original_name == "page.html"  # kept as display text only

    response = login(office_user).get(reverse("complaints:attachment", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="page.png"'


def test_a_forged_file_type_is_refused_and_nothing_is_saved(agency_a, attitude, centre):
    forged = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    with pytest.raises(ApplicationError) as exc:
        submit(agency=agency_a, category=attitude, files=[forged])
    assert exc.value.message == "文件“invoice.pdf”的类型不被接受：只接受图片、PDF 和 Office 文档。"
    assert exc.value.field == "attachments"
    assert Complaint.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0


def test_a_file_too_big_is_refused(agency_a, attitude, centre, settings):
    settings.COMPLAINTS_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 2000, "image/png")
    with pytest.raises(ApplicationError) as exc:
        submit(agency=agency_a, category=attitude, files=[big])
    assert exc.value.code == "file_too_big"
    assert exc.value.message == "文件“big.png”超过 1.0\xa0KB，请压缩后再上传。"


def test_too_many_files_are_refused(agency_a, attitude, centre, settings):
    settings.COMPLAINTS_ATTACHMENT_MAX_COUNT = 1
    files = [io.BytesIO(PNG), io.BytesIO(PNG)]
    for i, f in enumerate(files):
        f.name = f"p{i}.png"
    with pytest.raises(ApplicationError, match="附件最多 1 个。"):
        submit(agency=agency_a, category=attitude, files=files)


def test_a_policy_edited_between_two_filings_governs_the_second(agency_a, attitude, centre):
    from timelimits.models import TimeLimitPolicy

    first = submit(agency=agency_a, category=attitude)
    policy = TimeLimitPolicy.objects.get(kind=clocks.ACCEPT, category="", is_active=True)
    TimeLimitPolicy.objects.filter(pk=policy.pk).update(limit=policy.limit + 3)
    second = submit(agency=agency_a, category=attitude)
    limits = dict(Deadline.objects.filter(kind=clocks.ACCEPT).values_list("subject_id", "limit"))
    assert limits == {first.complaint.pk: policy.limit, second.complaint.pk: policy.limit + 3}


def test_filing_writes_the_complaint_its_event_clock_and_receipt(agency_a, attitude, centre):
    from timelimits.models import Notification

    result = submit(agency=agency_a, category=attitude)
    complaint = result.complaint
    assert ComplaintEvent.objects.filter(complaint=complaint, verb="submit").count() == 1
    assert Deadline.objects.filter(subject_id=complaint.pk, kind=clocks.ACCEPT).count() == 1
    sms = Notification.objects.get(
        to_phone="13912345678", dedupe_key__contains=f"complaint:{complaint.pk}:"
    )
    assert complaint.tracking_no in sms.body and complaint.tracking_no in sms.subject
    assert result.query_code in sms.body
    assert result.expected_by.isoformat() in sms.body


def _stored_files(settings) -> list[str]:
    """Every file under the attachments' storage root."""
    root = Path(settings.COMPLAINTS_FILES_ROOT)
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _photos():
    return [
        SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
    ]


def test_a_replayed_submission_key_leaves_no_second_copy_of_its_files(
    agency_a, attitude, centre, settings
):
    first = submit(agency=agency_a, category=attitude, submission_key="k-files", files=_photos())
    kept = _stored_files(settings)
    again = submit(agency=agency_a, category=attitude, submission_key="k-files", files=_photos())
    assert not again.created and again.complaint.pk == first.complaint.pk
    assert len(kept) == 2 and _stored_files(settings) == kept
    assert Attachment.objects.count() == 2


def test_a_filing_that_is_rolled_back_leaves_no_file_in_storage(
    agency_a, attitude, centre, settings
):
    from timelimits.models import TimeLimitPolicy

    # The accept clock is started after the complaint and its files are written: with
    # no policy for it, filing fails there and the whole transaction is rolled back.
    TimeLimitPolicy.objects.filter(kind=clocks.ACCEPT).update(is_active=False)
    with pytest.raises(ApplicationError, match=r"未知的时限类型：complaint\.accept。"):
        submit(agency=agency_a, category=attitude, files=_photos())
    assert _stored_files(settings) == []
    assert Complaint.objects.count() == 0 and Attachment.objects.count() == 0


def test_the_files_of_a_committed_filing_stay_in_storage(agency_a, attitude, centre, settings):
    c = submit(agency=agency_a, category=attitude, files=_photos()).complaint
    paths = [a.file.path for a in Attachment.objects.filter(complaint=c).order_by("id")]
    assert sorted(paths) == _stored_files(settings)
    assert [Path(p).read_bytes() for p in paths] == [PNG, PDF]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_files_of_a_committed_filing_stay_even_if_a_commit_hook_fails(
    agency_a, attitude, centre, settings
):
    from django.db import transaction
    from django.db.models.signals import post_save

    def announce(sender, instance, created, **kwargs):
        transaction.on_commit(lambda: 1 / 0)  # runs after the commit, and fails

    post_save.connect(announce, sender=ComplaintEvent, dispatch_uid="test-failing-hook")
    try:
        with pytest.raises(ZeroDivisionError):
            submit(agency=agency_a, category=attitude, files=_photos())
    finally:
        post_save.disconnect(dispatch_uid="test-failing-hook", sender=ComplaintEvent)
    complaint = Complaint.objects.get()  # committed before the hook ran
    paths = [a.file.path for a in Attachment.objects.filter(complaint=complaint)]
    assert len(paths) == 2 and sorted(paths) == _stored_files(settings)
