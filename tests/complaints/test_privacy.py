"""Confidentiality: agencies see no identity without consent; numbers masked; full record logged."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from complaints import privacy, selectors, services
from complaints.models import AccessLog, Complaint
from efficiency_portal.errors import ApplicationError
from tests.complaints.conftest import submit

S = Complaint.State


def test_the_handling_agency_never_sees_identity_without_consent(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.HANDLING)
    shown = privacy.complainant_for(clerk_a, c)
    assert shown.hidden
    assert shown.name == "（投诉人未同意公开身份）"
    assert (shown.phone, shown.id_number, shown.email) == ("", "", "")
    with pytest.raises(ApplicationError) as exc:
        services.complaint_reveal_identity(complaint=c, actor=clerk_a, reason="需要电话联系")
    assert exc.value.message == "投诉人未同意向承办单位提供身份信息，您无权查看。"
    assert AccessLog.objects.count() == 0


def test_with_consent_the_agency_sees_masked_numbers(agency_a, attitude, centre, clerk_a, walk):
    c = submit(agency=agency_a, category=attitude, consent_share_identity=True).complaint
    c = walk(c, S.HANDLING)
    shown = privacy.complainant_for(clerk_a, c)
    assert (shown.name, shown.phone, shown.id_number) == (
        "王**",
        "139****5678",
        "110***********1234",
    )


def test_the_office_sees_masked_identity_and_must_give_a_reason_to_reveal(
    new_complaint, office_user
):
    shown = privacy.complainant_for(office_user, new_complaint)
    assert (shown.name, shown.phone) == ("王**", "139****5678")
    with pytest.raises(ApplicationError, match="查看投诉人完整信息必须说明理由。"):
        services.complaint_reveal_identity(complaint=new_complaint, actor=office_user, reason="")
    full = services.complaint_reveal_identity(
        complaint=new_complaint, actor=office_user, reason="回访需要拨打投诉人电话"
    )
    assert (full.name, full.phone) == ("王小明", "13912345678")
    log = AccessLog.objects.get()
    assert (log.user, log.reason, log.complaint) == (
        office_user,
        "回访需要拨打投诉人电话",
        new_complaint,
    )


def test_the_access_log_cannot_be_rewritten(new_complaint, office_user):
    services.complaint_reveal_identity(complaint=new_complaint, actor=office_user, reason="核实")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.update(reason="改写")


def test_an_anonymous_complaint_has_nothing_to_reveal(agency_a, attitude, centre, office_user):
    c = submit(agency=agency_a, category=attitude, anonymous=True).complaint
    assert privacy.complainant_for(office_user, c).name == "匿名"
    with pytest.raises(ApplicationError, match="匿名投诉没有可查看的身份信息。"):
        services.complaint_reveal_identity(complaint=c, actor=office_user, reason="核实")


def test_who_sees_the_case(new_complaint, clerk_a, clerk_b, office_user, leader, walk):
    def visible(user, c):
        return selectors.complaint_list_visible_to(user=user).filter(pk=c.pk).exists()

    # Before routing only the complaint centre sees it, not even the accused agency.
    assert visible(office_user, new_complaint) and visible(leader, new_complaint)
    assert not visible(clerk_a, new_complaint)
    c = walk(new_complaint, S.ROUTED)
    assert visible(clerk_a, c)
    assert not visible(clerk_b, c)


def test_the_accused_agency_sees_a_case_handled_elsewhere_but_not_who_complained(
    new_complaint, office_user, office_b, clerk_a, clerk_b, agency_b
):
    c = services.complaint_register(complaint=new_complaint, actor=office_user)
    c = services.complaint_plan(complaint=c, actor=office_user, routing="transfer", agency=agency_b)
    c = services.complaint_plan_approve(complaint=c, actor=office_b)  # not the proposer
    assert selectors.complaint_get_for_user(user=clerk_a, pk=c.pk) is not None  # accused
    assert selectors.complaint_get_for_user(user=clerk_b, pk=c.pk) is not None  # handling
    assert privacy.complainant_for(clerk_a, c).hidden


def test_opening_the_complainants_own_material_is_logged(agency_a, attitude, centre, clerk_a, walk):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from complaints.models import Attachment
    from tests.conftest import login

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    c = submit(
        agency=agency_a,
        category=attitude,
        files=[SimpleUploadedFile("receipt.png", png, content_type="image/png")],
    ).complaint
    c = walk(c, S.HANDLING)
    attachment = Attachment.objects.get(complaint=c)
    response = login(clerk_a).get(reverse("complaints:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.reason) == (clerk_a, "查看投诉材料：receipt.png")
