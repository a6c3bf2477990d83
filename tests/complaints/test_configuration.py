"""Complaint categories and 办理公开设置 are configuration: edited through audited services
(before → after), never by a plain save; a category's code is fixed once other systems file by it."""

from __future__ import annotations

import pytest

from complaints.models import ComplaintCategory, PublicPolicy
from complaints.services import configuration as services_config
from efficiency_portal.errors import ApplicationError
from organizations.models import AuditEvent
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_switching_a_category_off_in_the_list_is_audited_before_and_after(office_user):
    category = ComplaintCategory.objects.get(code="fees")
    rows = list(ComplaintCategory.objects.order_by("order", "code"))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "1",
    }
    for i, row in enumerate(rows):
        data[f"form-{i}-id"] = str(row.pk)
        data[f"form-{i}-order"] = str(row.order)
        if row.is_urgent:
            data[f"form-{i}-is_urgent"] = "on"
        if row.is_active and row.pk != category.pk:
            data[f"form-{i}-is_active"] = "on"
    response = login(office_user).post("/admin/complaints/complaintcategory/", data)
    assert response.status_code == 302
    category.refresh_from_db()
    assert not category.is_active
    event = AuditEvent.objects.get(verb="complaints.category.update")
    assert event.actor == office_user and event.subject_id == str(category.pk)
    assert event.data["changes"] == {"is_active": [True, False]}


def test_a_categorys_code_cannot_change_once_created(office_user):
    category = ComplaintCategory.objects.get(code="fees")
    with pytest.raises(ApplicationError) as refused:
        services_config.category_save(actor=office_user, category=category, code="charges")
    assert refused.value.message == "类别代码创建后不能修改：接入系统按代码提交投诉。"
    category.refresh_from_db()
    assert category.code == "fees"
    assert not AuditEvent.objects.filter(verb__startswith="complaints.category").exists()


def test_a_clerk_cannot_edit_categories(clerk_a):
    category = ComplaintCategory.objects.get(code="fees")
    response = login(clerk_a).post(
        f"/admin/complaints/complaintcategory/{category.pk}/change/",
        {"name": "乱收费改", "order": category.order, "is_active": "on"},
    )
    assert response.status_code == 403
    category.refresh_from_db()
    assert category.name != "乱收费改"


def test_changing_the_public_policy_is_audited_before_and_after(admin_client, admin_user):
    policy = PublicPolicy.current()
    response = admin_client.post(
        f"/admin/complaints/publicpolicy/{policy.pk}/change/",
        {
            "ranking_min_cases": "50",
            "duplicate_min_score": str(policy.duplicate_min_score),
            "duplicate_candidates": str(policy.duplicate_candidates),
        },
    )
    assert response.status_code == 302
    assert PublicPolicy.current().ranking_min_cases == 50
    event = AuditEvent.objects.get(verb="complaints.public_policy.update")
    assert event.actor == admin_user
    assert event.data["changes"] == {"ranking_min_cases": [policy.ranking_min_cases, 50]}


def test_a_similarity_threshold_above_one_is_refused_with_the_field_named(admin_client):
    policy = PublicPolicy.current()
    with pytest.raises(ApplicationError) as refused:
        services_config.public_policy_update(actor=None, duplicate_min_score=1.5)
    assert refused.value.field == "duplicate_min_score"
    assert refused.value.message == "相似度应大于 0 且不超过 1。"
    assert PublicPolicy.current().duplicate_min_score == policy.duplicate_min_score
